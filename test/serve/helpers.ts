/**
 * `mycli serve` as a child process (the built binary), and small HTTP helpers for talking to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProject, type Project } from '../helpers/cli.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built binary (MYCLI_SERVE_TEST_BIN: another build's launcher, to compare builds). */
export const BIN = process.env.MYCLI_SERVE_TEST_BIN || join(ROOT, 'bin', 'mycli.js');
export const ACCOUNT = '00000000000000000000000000000001';
export const TOKEN = 'serve-test-token-0123456789';

export interface Served {
  project: Project;
  child: ChildProcess;
  /** http://127.0.0.1:<port>/client/v4 */
  base: string;
  port: number;
  logFile: string;
  stderr: () => string;
  /** The request log (JSON lines) written with MYCLI_SERVE_LOG. */
  requests: () => Array<{ method: string; path: string; query: Record<string, string>; body?: unknown; status: number; code?: number }>;
  stop: () => Promise<number | null>;
  api: (method: string, path: string, init?: { body?: unknown; token?: string | null; headers?: Record<string, string>; raw?: BodyInit }) => Promise<ApiResult>;
  /** Path under the account: `/accounts/<id>/workers/scripts/<worker><rest>`. */
  script: (worker: string, rest?: string) => string;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function startServe(files: Record<string, string> = {}, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<Served> {
  const project = makeProject(files);
  const logFile = join(project.dir, 'requests.jsonl');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: project.dir,
    env: {
      PATH: process.env.PATH,
      ...project.env,
      MYCLI_SERVE_TOKEN: TOKEN,
      MYCLI_SERVE_LOG: logFile,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mycli serve did not start in 60 s; stderr:\n${err}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mycli serve exited with ${code}; stderr:\n${err}`));
    });
  });
  const port = Number(new URL(base).port);
  const api: Served['api'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? TOKEN : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    project,
    child,
    base,
    port,
    logFile,
    stderr: () => err,
    requests: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a safety net: SIGTERM must be enough
      const [code] = (await once(child, 'exit')) as [number | null];
      clearTimeout(timer);
      return code;
    },
    api,
    script: (worker, rest = '') => `/accounts/${ACCOUNT}/workers/scripts/${worker}${rest}`,
  };
}

/** A multipart version upload as wrangler builds it: metadata + one ES module part. */
export function uploadForm(metadata: Record<string, unknown>, module = 'export default { fetch() { return new Response("v"); } };'): FormData {
  const form = new FormData();
  form.set('metadata', JSON.stringify({ main_module: 'index.js', ...metadata }));
  form.set('index.js', new File([module], 'index.js', { type: 'application/javascript+module' }));
  return form;
}
