/**
 * The published package, as a user gets it: `npm pack` -> `npm install -g` into an empty prefix
 * (offline: mycli has no runtime dependencies, dist/ bundles them) -> from a folder outside the
 * repository: --help, a put and a list, and a plugin that imports `mycli/backend`.
 * Installing never runs a build (no install or prepare script), so npm has nothing to warn about.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, makeTempProject, REPO } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let prefix: string;
let installLog: string;
let files: string[];

/** Environment for npm itself: the user's npm cache (HOME), no npm_config_* from `npm test`. */
function npmEnv(): Record<string, string> {
  const env = baseEnv({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
  for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_')) delete env[k];
  return env;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mycli-pack-'));
  prefix = join(work, 'prefix');
  // dist/ was built by the test run's global setup (the same build as `prepack`); pack it as is.
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  installLog = execFileSync(
    npm,
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel', 'warn', join(work, packed[0].filename)],
    { cwd: work, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}, 300_000);

afterAll(() => {
  if (work && !process.env.MYCLI_E2E_KEEP) rmSync(work, { recursive: true, force: true });
});

/** Run the installed `mycli` (the npm bin link) with `node` first on PATH, as a shell would. */
function runInstalled(args: string[], o: { cwd: string; env: Record<string, string>; input?: string }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(join(prefix, 'bin', 'mycli'), args, {
      cwd: o.cwd,
      env: { ...o.env, PATH: `${dirname(process.execPath)}:${o.env.PATH ?? ''}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // a safety net only
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

describe('the published package', () => {
  it('carries the built dist/, the launcher and LICENSE; no sources, tests or install scripts', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/mycli.js', 'dist/cli.js', 'dist/backend.js', 'dist/types/backends/types.d.ts']));
    expect(files.filter((f) => /^(src|test|scripts|examples)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies?: Record<string, string> };
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[s], `scripts.${s}`).toBeUndefined();
    expect(pkg.scripts.prepack).toMatch(/build/);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it("dependencies are exactly the packages dist/ imports at run time (esbuild bundles the rest)", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const imported = new Set<string>();
    let builtinImports = 0;
    const scan = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'types') scan(path);
          continue;
        }
        if (!e.name.endsWith('.js')) continue;
        const src = readFileSync(path, 'utf8');
        for (const m of src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*|\brequire\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?|node:[\w/]+)["']/g)) {
          if (builtins.has(m[1])) builtinImports++;
          else imported.add(m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]);
        }
      }
    };
    scan(join(REPO, 'dist'));
    expect(builtinImports).toBeGreaterThan(0); // the scan does see imports
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
  });

  it('installs offline into an empty prefix without a build, a warning or a node_modules of its own', () => {
    expect(installLog).not.toMatch(/prepare|install-scripts|warn/i);
    const installed = join(prefix, 'lib', 'node_modules', 'mycli');
    expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  });

  it('from a folder outside the repository: --help, a put and a list, and a plugin importing mycli/backend', async () => {
    const p = makeTempProject();
    const help = await runInstalled(['--help'], { cwd: p.dir, env: p.env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mycli/);

    const put = await runInstalled(['secret', 'put', 'API_KEY'], { cwd: p.dir, env: p.env, input: 'packed-value-1\n' });
    expect(put.code, put.stderr).toBe(0);
    const list = await runInstalled(['secret', 'list', '--json'], { cwd: p.dir, env: p.env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(['API_KEY']);

    mkdirSync(join(p.dir, 'backends'));
    writeFileSync(
      join(p.dir, 'backends', 'names.mjs'),
      `import { BACKEND_API_VERSION, defineBackend } from 'mycli/backend';
export default defineBackend(() => ({
  name: 'names-only',
  apiVersion: BACKEND_API_VERSION,
  capabilities: { secrets: true },
  async listSecrets() { return [{ name: 'FROM_PLUGIN', type: 'secret_text' }]; },
  async updateSecrets() { return { changes: [] }; },
}));
`,
    );
    const plugin = await runInstalled(['secret', 'list', '--json', '--backend', './backends/names.mjs'], { cwd: p.dir, env: p.env });
    expect(plugin.code, plugin.stderr).toBe(0);
    expect(JSON.parse(plugin.stdout)).toMatchObject({ backend: 'names-only', secrets: [{ name: 'FROM_PLUGIN', type: 'secret_text' }] });
    const all = [help, put, list, plugin].map((r) => r.stdout + r.stderr).join('');
    expect(all).not.toContain('packed-value-1');
  });
});
