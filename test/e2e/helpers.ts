/**
 * End-to-end helpers: a throwaway project on disk and runs of the REAL built binary
 * (`node bin/mycli.js`) as a child process, with HOME / XDG_CONFIG_HOME pointing into the
 * temp dir. Nothing here runs mycli in-process.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { decryptBinding, readStore, type ReadState } from '../helpers/store-reader.js';
import { loadKey } from '../../src/backends/local/key.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'mycli.js');
export const KEY_HEX = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
export const OTHER_KEY_HEX = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';

export const WORKER = 'e2e-worker';

export interface TempProject {
  /** The temp root: holds `project/` and `home/`. */
  root: string;
  /** The project folder (wrangler.toml, src/index.js, .mycli/). */
  dir: string;
  home: string;
  configHome: string;
  /** The store's HEAD file (format 2). */
  stateFile: string;
  env: Record<string, string>;
  run(args: string[], o?: BinOptions): Promise<BinResult>;
  /** Spawn without waiting (for kill tests). */
  spawn(args: string[], o?: BinOptions): ReturnType<typeof spawn>;
}

export interface BinOptions {
  /** Bytes written to stdin, then stdin is closed. */
  input?: string | Buffer;
  /** 'ignore' gives the child /dev/null as stdin. Default: a pipe. */
  stdin?: 'pipe' | 'ignore';
  /** Keep a piped stdin open and write nothing to it. */
  keepStdinOpen?: boolean;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the child (SIGKILL) after this many ms and report `killedByTimeout`. */
  timeoutMs?: number;
  /** Flags for node before the script (e.g. a module-load recorder). */
  nodeArgs?: string[];
}

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "never printed" assertions. */
  all: string;
  ms: number;
  killedByTimeout: boolean;
  json<T = any>(): T;
}

/** The environment of a child: no CI (so a TTY would be interactive), no colour surprises. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'TF_BUILD', 'CIRCLECI', 'JENKINS_URL']) {
    delete env[k];
  }
  for (const k of Object.keys(env)) if (k.startsWith('MYCLI_') || k.startsWith('CLOUDFLARE_') || k.startsWith('VITEST') || k === 'NODE_OPTIONS') delete env[k];
  env.NO_COLOR = '1';
  Object.assign(env, extra);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export const WRANGLER_TOML = `name = "${WORKER}"
main = "src/index.js"
compatibility_date = "2025-01-01"

[vars]
GREETING = "hello"
`;

// Temp projects are removed after each test file (set MYCLI_E2E_KEEP=1 to keep them for a look).
const roots: string[] = [];
afterAll(() => {
  if (process.env.MYCLI_E2E_KEEP) return;
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

export function makeTempProject(o: { key?: string | null; toml?: string } = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'mycli-e2e-'));
  roots.push(root);
  const dir = join(root, 'project');
  const home = join(root, 'home');
  const configHome = join(home, '.config');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(dir, 'wrangler.toml'), o.toml ?? WRANGLER_TOML);
  writeFileSync(join(dir, 'src', 'index.js'), 'export default { async fetch() { return new Response("ok"); } };\n');
  const key = o.key === undefined ? KEY_HEX : o.key;
  const env = baseEnv({
    HOME: home,
    XDG_CONFIG_HOME: configHome,
    MYCLI_AUTHOR: 'e2e@example.com',
    ...(key === null ? {} : { MYCLI_LOCAL_KEY: key }),
  });
  const p: TempProject = {
    root,
    dir,
    home,
    configHome,
    stateFile: join(dir, '.mycli', 'HEAD'),
    env,
    run: (args, ro = {}) => runBin(args, { cwd: dir, ...ro, env: { ...env, ...ro.env } }),
    spawn: (args, ro = {}) => spawnBin(args, { cwd: dir, ...ro, env: { ...env, ...ro.env } }),
  };
  return p;
}

function spawnBin(args: string[], o: BinOptions) {
  const stdio: StdioOptions = [o.stdin === 'ignore' ? 'ignore' : 'pipe', 'pipe', 'pipe'];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env ?? baseEnv())) if (v !== undefined) env[k] = v;
  return spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], { cwd: o.cwd ?? REPO, env, stdio });
}

export function runBin(args: string[], o: BinOptions = {}): Promise<BinResult> {
  const started = performance.now();
  const child = spawnBin(args, o);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  if (child.stdin) {
    child.stdin.on('error', () => undefined); // EPIPE when the child exits before reading
    if (o.input !== undefined) child.stdin.end(o.input);
    else if (!o.keepStdinOpen) child.stdin.end();
  }
  let killedByTimeout = false;
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          killedByTimeout = true;
          child.kill('SIGKILL');
        }, o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (child.stdin && !child.stdin.destroyed) child.stdin.destroy();
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code,
        signal,
        stdout,
        stderr,
        all: stdout + stderr,
        ms: performance.now() - started,
        killedByTimeout,
        json() {
          return JSON.parse(stdout);
        },
      });
    });
  });
}

// ---- reading the store directly ------------------------------------------------------------

type StoredState = ReadState;

/** The store as it is on disk (format 2: head, version and deployment records, blobs). */
export function readState(p: TempProject): StoredState {
  const state = readStore(join(p.dir, '.mycli'));
  if (!state) throw new Error(`no local store in ${p.dir}`);
  return state;
}

/** Decrypt the value of a secret in the latest version, with the key the project's env gives. */
export function decryptLatest(p: TempProject, name: string, worker = WORKER): string | undefined {
  const state = readStore(join(p.dir, '.mycli'));
  const w = state?.workers[worker];
  if (!w || w.versions.length === 0) return undefined;
  const latest = w.versions[w.versions.length - 1];
  const b = latest.bindings.find((x) => x.type === 'secret_text' && x.name === name);
  if (!b?.blob) return undefined;
  return decryptBinding(join(p.dir, '.mycli'), loadKey(p.env, false)!.key, worker, b);
}

/** Every regular file below `dir` (recursively). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e);
    const st = statSync(full, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(full));
    else if (st.isFile()) out.push(full);
  }
  return out;
}

/** Files under `dirs` whose bytes contain `needle` (as UTF-8). */
export function filesContaining(dirs: string[], needle: string): string[] {
  const n = Buffer.from(needle, 'utf8');
  return dirs.flatMap(filesUnder).filter((f) => readFileSync(f).includes(n));
}

export function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

export function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
