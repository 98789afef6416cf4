/**
 * Pluggable backends through the public command surface: module paths, package names,
 * MYCLI_BACKEND and [mycli] backend; validation at the edge; capabilities; `backend check`.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'dotenv';
import { makeProject } from '../helpers/cli.js';

const DEV_VARS = resolve('examples/dev-vars-backend/index.mjs');

/** A plugin module written into the project, built around a body of backend members. */
function pluginSource(body: string): string {
  return `export default (ctx) => {\n  const store = new Map();\n  return {\n${body}\n  };\n};\n`;
}

const GOOD_MEMBERS = `
    name: 'memory',
    capabilities: { secrets: true },
    async listSecrets() { return [...store.keys()].map((name) => ({ name, type: 'secret_text' })); },
    async updateSecrets(t, patch) {
      const fail = (exitCode, message) => Object.assign(new Error(message), { exitCode });
      for (const [k, v] of Object.entries(patch)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw fail(2, 'bad name ' + k);
        if (v === null && !store.has(k)) throw fail(3, 'no secret ' + k);
      }
      const changes = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) { store.delete(k); changes.push({ name: k, action: 'deleted' }); }
        else { changes.push({ name: k, action: store.has(k) ? 'updated' : 'added' }); store.set(k, v); }
      }
      return { changes };
    },`;

describe('plugin backends', () => {
  it('the dev-vars example stores secrets in .dev.vars (mode 0600), byte-exact, and lists names only', async () => {
    const p = makeProject();
    const value = 'line one\nline "two" with \\n and \'quotes\'\n';
    const put = await p.run(['secret', 'put', 'PEM_LIKE', '--backend', DEV_VARS], { stdin: value });
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toMatch(/backend dev-vars/);
    const file = join(p.dir, '.dev.vars');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(file, 'utf8')).PEM_LIKE).toBe(value);
    const list = await p.run(['secret', 'list', '--json', '--backend', DEV_VARS]);
    expect(list.json().secrets).toEqual([{ name: 'PEM_LIKE', type: 'secret_text' }]);
    expect(list.json().backend).toBe('dev-vars');
    expect(put.all + list.all).not.toContain('line "two"');
  });

  it('--env writes .dev.vars.<env>, as wrangler dev reads it', async () => {
    const p = makeProject();
    const r = await p.run(['secret', 'put', 'TOKEN', '--env', 'staging', '--backend', DEV_VARS], { stdin: 'tok-123\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(parse(readFileSync(join(p.dir, '.dev.vars.staging'), 'utf8')).TOKEN).toBe('tok-123');
    expect(existsSync(join(p.dir, '.dev.vars'))).toBe(false);
    expect(r.all).not.toContain('tok-123');
  });

  it('a capability the plugin lacks makes the command fail with a usage error that says so', async () => {
    const p = makeProject();
    for (const argv of [['versions', 'list'], ['deployments', 'status'], ['rollback', '--yes'], ['versions', 'secret', 'put', 'X']]) {
      const r = await p.run([...argv, '--backend', DEV_VARS], { stdin: 'v' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/the dev-vars backend does not support (versions|versioned secrets)/);
    }
  });

  it('is chosen by MYCLI_BACKEND, and by [mycli] backend relative to the config file', async () => {
    const p = makeProject({ 'backends/mem.mjs': pluginSource(GOOD_MEMBERS) });
    const viaEnv = await p.run(['secret', 'put', 'A', '--json'], { stdin: 'a-value', env: { MYCLI_BACKEND: './backends/mem.mjs' } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.json().backend).toBe('memory');

    const q = makeProject({
      'sub/wrangler.toml': 'name = "w"\n[mycli]\nbackend = "../backends/mem.mjs"\n',
      'backends/mem.mjs': pluginSource(GOOD_MEMBERS),
    });
    const viaConfig = await q.run(['secret', 'list', '--json'], { cwd: join(q.dir, 'sub') });
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(viaConfig.json().backend).toBe('memory');
    expect(viaEnv.all).not.toContain('a-value');
  });

  it('loads an installed package by name and passes it [mycli.options]', async () => {
    const p = makeProject({
      'wrangler.toml': 'name = "w"\n[mycli]\nbackend = "@acme/mycli-backend"\n[mycli.options]\nlabel = "from-config"\n',
      'node_modules/@acme/mycli-backend/package.json': JSON.stringify({ name: '@acme/mycli-backend', type: 'module', exports: { '.': { import: './main.mjs' } } }),
      'node_modules/@acme/mycli-backend/main.mjs': pluginSource(GOOD_MEMBERS.replace("name: 'memory'", 'name: ctx.options.label')),
    });
    const r = await p.run(['secret', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().backend).toBe('from-config');
  });

  it('names a missing module or package clearly (exit 2)', async () => {
    const p = makeProject();
    const a = await p.run(['secret', 'list', '--backend', './nope.mjs']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/backend module \.\/nope\.mjs does not exist/);
    const b = await p.run(['secret', 'list', '--backend', 'not-installed-backend']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/backend package "not-installed-backend" is not installed/);
  });

  it.each([
    ['a default export that is not a function', 'export default { name: "x" };', /must have a default export that is a function/],
    ['a factory that returns nothing', 'export default () => undefined;', /the factory returned undefined/],
    ['missing methods for a declared capability', pluginSource("name: 'half', capabilities: { secrets: true, versions: true }, async listSecrets() { return []; }, async updateSecrets() { return { changes: [] }; },"), /listVersions: must be a function \(capability versions is declared\)/],
    ['a bad capability flag', pluginSource("name: 'flags', capabilities: { secrets: 'yes' }, async listSecrets() { return []; }, async updateSecrets() { return { changes: [] }; },"), /capabilities\.secrets: must be a boolean/],
    ['a plugin written for another Backend API version', pluginSource("name: 'future', apiVersion: 2, capabilities: { secrets: true }, async listSecrets() { return []; }, async updateSecrets() { return { changes: [] }; },"), /was written for Backend API version 2; this mycli implements version 1/],
    ['a module that throws on import', 'throw new Error("boom at import");', /failed to load: boom at import/],
  ])('refuses %s with a clear error naming the plugin (exit 1)', async (_what, source, message) => {
    const p = makeProject({ 'bad.mjs': source });
    const r = await p.run(['secret', 'list', '--backend', './bad.mjs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backend plugin "\.\/bad\.mjs"/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected failure|at .*\.js:\d+/);
  });

  it('validates results at the edge: a malformed result names the plugin and the field', async () => {
    const p = makeProject({
      'bad.mjs': pluginSource("name: 'bad', capabilities: { secrets: true }, async listSecrets() { return [{ name: 42, type: 'secret_text' }]; }, async updateSecrets() { return { changes: 'all of them' }; },"),
    });
    const list = await p.run(['secret', 'list', '--backend', './bad.mjs']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/backend plugin "\.\/bad\.mjs" returned a malformed result: listSecrets\(\)\.0\.name/);
    const put = await p.run(['secret', 'put', 'A', '--backend', './bad.mjs'], { stdin: 'secret-xyz' });
    expect(put.code).toBe(1);
    expect(put.stderr).toMatch(/updateSecrets\(\)\.changes/);
    expect(put.all).not.toContain('secret-xyz');
  });

  it('never lets a secret value through a plugin error message', async () => {
    const p = makeProject({
      'quoting.mjs': pluginSource(GOOD_MEMBERS.replace('async updateSecrets(t, patch) {', "async updateSecrets(t, patch) { throw new TypeError('kaboom ' + JSON.stringify(patch));")),
    });
    for (const flags of [[], ['--json']]) {
      const r = await p.run(['secret', 'put', 'A', '--backend', './quoting.mjs', ...flags], { stdin: 'TOP-SECRET-VALUE-42' });
      expect(r.code).toBe(1);
      expect(r.all).toMatch(/failed in updateSecrets: kaboom/);
      expect(r.all).not.toContain('TOP-SECRET-VALUE-42');
    }
  });

  it('keeps the exit code of typed errors a plugin throws, and wraps untyped ones', async () => {
    const p = makeProject({
      'typed.mjs': pluginSource(GOOD_MEMBERS.replace('async listSecrets() {', "async listSecrets() { throw Object.assign(new Error('no such worker here'), { exitCode: 3, code: 'not_found', hint: 'create it' });")),
      'untyped.mjs': pluginSource(GOOD_MEMBERS.replace('async listSecrets() {', "async listSecrets() { throw new TypeError('cannot read x of undefined');")),
    });
    const typed = await p.run(['secret', 'list', '--backend', './typed.mjs']);
    expect(typed.code).toBe(3);
    expect(typed.stderr).toMatch(/no such worker here/);
    const untyped = await p.run(['secret', 'list', '--backend', './untyped.mjs', '--json']);
    expect(untyped.code).toBe(1);
    expect(untyped.json().error.message).toMatch(/backend plugin "\.\/untyped\.mjs" failed in listSecrets: cannot read x of undefined/);
  });
});

describe('mycli backend check', () => {
  it('passes for local and for the dev-vars example, with a line per behaviour', async () => {
    const p = makeProject();
    const local = await p.run(['backend', 'check', 'local']);
    expect(local.code, local.all).toBe(0);
    expect(local.stdout).toMatch(/✓ pass\s+secrets\.put-list/);
    expect(local.stdout).toMatch(/✓ pass\s+rollback\.secrets-changed/);
    expect(existsSync(join(p.dir, '.mycli'))).toBe(false);

    const dv = await p.run(['backend', 'check', DEV_VARS, '--json']);
    expect(dv.code, dv.all).toBe(0);
    const doc = dv.json();
    expect(doc.failed).toBe(0);
    expect(doc.passed).toBeGreaterThanOrEqual(6);
    expect(doc.results.find((r: { id: string }) => r.id === 'deploy.percentages').status).toBe('skip');
    expect(existsSync(join(p.dir, '.dev.vars'))).toBe(false);
  });

  it('fails (exit 1) for a plugin that returns secret values in list, naming the behaviour', async () => {
    const leaky = GOOD_MEMBERS.replace(
      "async listSecrets() { return [...store.keys()].map((name) => ({ name, type: 'secret_text' })); },",
      "async listSecrets() { return [...store.entries()].map(([name, value]) => ({ name, type: 'secret_text', value })); },",
    );
    const p = makeProject({ 'leaky.mjs': pluginSource(leaky) });
    const r = await p.run(['backend', 'check', './leaky.mjs']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ FAIL\s+secrets\.never-returned/);
    expect(r.stdout).toMatch(/listSecrets returned the secret value/);
    expect(r.stderr).toMatch(/failed 1 of 16 checks/);
  });
});
