/**
 * `--json`: exactly one JSON document on stdout, for the cases that used to print none or two:
 * `mycli --version --json`, and `backend check --json` on a failing backend (the report, with
 * the failure inside it; the human error line goes to stderr).
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { packageVersion } from '../../src/main.js';

/** stdout parses as exactly one JSON value. */
function oneDocument(stdout: string): any {
  const doc = JSON.parse(stdout);
  expect(stdout.trim().startsWith('{')).toBe(true);
  return doc;
}

describe('--json prints one document', () => {
  it.each([[['--version', '--json']], [['--json', '--version']], [['-v', '--json']]])('mycli %s → {"version": "…"}', async (argv) => {
    const r = await makeProject().run(argv);
    expect(r.code).toBe(0);
    expect(oneDocument(r.stdout)).toEqual({ version: packageVersion() });
  });

  it('backend check --json on a failing backend: one document holding the report and the error, exit 1', async () => {
    const leaky = `export default () => { const store = new Map(); return {
      name: 'leaky', capabilities: { secrets: true },
      async listSecrets() { return [...store.entries()].map(([name, value]) => ({ name, type: 'secret_text', value })); },
      async updateSecrets(t, patch) { const changes = []; for (const [k, v] of Object.entries(patch)) {
        if (v === null) { if (!store.has(k)) throw Object.assign(new Error('no ' + k), { exitCode: 3 }); store.delete(k); changes.push({ name: k, action: 'deleted' }); }
        else { changes.push({ name: k, action: store.has(k) ? 'updated' : 'added' }); store.set(k, v); } } return { changes }; },
    }; };`;
    const p = makeProject({ 'leaky.mjs': leaky });
    const r = await p.run(['backend', 'check', './leaky.mjs', '--json', '--yes']);
    expect(r.code).toBe(1);
    const doc = oneDocument(r.stdout);
    expect(doc.failed).toBeGreaterThanOrEqual(1);
    expect(doc.results.find((x: { id: string }) => x.id === 'secrets.never-returned').status).toBe('fail');
    expect(doc.error).toMatchObject({ code: 'failed', exitCode: 1 });
    expect(doc.error.message).toMatch(/failed \d+ of \d+ checks/);
    expect(r.stderr).toMatch(/error: backend leaky failed \d+ of/);
  });

  it('backend check --json on a plugin that does not load: one error document, exit 1', async () => {
    const p = makeProject({ 'broken.mjs': 'export default 42;\n' });
    const r = await p.run(['backend', 'check', './broken.mjs', '--json', '--yes']);
    expect(r.code).toBe(1);
    expect(oneDocument(r.stdout).error.code).toBe('plugin');
  });
});
