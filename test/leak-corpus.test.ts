/**
 * The leak corpus: distinctive values — one line, a multi-line PEM, one with quotes and
 * backslashes — pushed through every path by which text from outside reaches the terminal:
 * malformed JSON and .env around them, plugin errors quoting them in every encoding (raw,
 * JSON, URL, base64, a prefix, one PEM line), thrown synchronously, from a timer and as an
 * unhandled rejection (built binary: the crash handlers), a plugin returning them in a version,
 * Cloudflare API errors echoing them, under --debug and --json. No run of 8 characters of any
 * value may appear on stdout or stderr.
 */
import { describe, expect, it } from 'vitest';
import { makeProject, type Project } from './helpers/cli.js';
import { makeTempProject } from './e2e/helpers.js';
import { cf, cfProject, useFakeApi } from './cloudflare/helpers.js';

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDQx7Lq1mW2VxZk',
  'Jr5Zg9wPqT8cY3nHfK2uM4sE6dR7aB1xN0oLiVtQyU9pXwSbGhCjFeDzAkIlMnOp',
  'q3R5t7V9x1Z3b5D7f9H1j3L5n7P9r1T3v5X7z9B1d3F5h7J9l1N3p5R7t9V1x3Zy',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');
const VALUES = {
  single: 'sk_live_51HqLyjWDarjtT1zdp7dcXYZq9',
  pem: PEM,
  quoted: `pa"ss\\wo'rd\\n-"qu0ted"-Zeta\\\\9`,
};

/** Every run of 8 characters of every value (PEM lines of '-' only excepted: they are a format). */
function runs(): string[] {
  const out = new Set<string>();
  for (const v of Object.values(VALUES)) {
    for (let i = 0; i + 8 <= v.length; i++) {
      const r = v.slice(i, i + 8);
      if (/^-+$/.test(r) || r.includes('\n')) continue;
      out.add(r);
    }
  }
  return [...out];
}
const RUNS = runs();

function expectNoLeak(label: string, text: string): void {
  const found = RUNS.filter((r) => text.includes(r));
  expect(found, `${label} printed part of a value: ${found.slice(0, 3).map((f) => JSON.stringify(f)).join(', ')}`).toEqual([]);
}

/** Every encoding a plugin might quote a value in. */
function encodings(v: string): Record<string, string> {
  return {
    raw: v,
    json: JSON.stringify(v),
    jsonTwice: JSON.stringify(JSON.stringify(v)),
    url: encodeURIComponent(v),
    base64: Buffer.from(v).toString('base64'),
    prefix: v.slice(0, 12),
    suffix: v.slice(-12),
    middle: v.slice(5, 20),
    lines: v.split('\n').join(' | '),
  };
}

function plugin(failure: string): string {
  return `
const store = new Map();
const versions = [];
export default () => ({
  name: 'leaky',
  capabilities: { secrets: true, versions: true },
  async listSecrets() { return [...store.keys()].map((name) => ({ name, type: 'secret_text' })); },
  async updateSecrets(t, patch) {
    const value = Object.values(patch).find((v) => typeof v === 'string') ?? '';
    const enc = (how) => ({
      raw: value, json: JSON.stringify(value), jsonTwice: JSON.stringify(JSON.stringify(value)),
      url: encodeURIComponent(value), base64: Buffer.from(value).toString('base64'),
      prefix: value.slice(0, 12), suffix: value.slice(-12), middle: value.slice(5, 20), lines: value.split('\\n').join(' | '),
    })[how];
    ${failure}
    for (const [k, v] of Object.entries(patch)) store.set(k, v);
    const version = { id: '00000000-0000-4000-8000-00000000000' + versions.length, number: versions.length + 1, createdOn: new Date(0).toISOString(),
      bindings: [...store].map(([name, text]) => ({ type: 'secret_text', name, text })), message: 'made with ' + value };
    versions.unshift(version);
    return { changes: Object.keys(patch).map((name) => ({ name, action: 'set' })), version, secretValue: value };
  },
  async listVersions() { return versions; },
  async getVersion(t, id) { const v = versions.find((x) => x.id === id); if (!v) throw Object.assign(new Error('no version ' + id), { exitCode: 3 }); return v; },
  async uploadVersion() { throw new Error('not here'); },
  async listDeployments() { return versions.length ? [{ id: 'd-1', createdOn: new Date(0).toISOString(), versions: [{ versionId: versions[0].id, percentage: 100, text: versions[0].bindings[0]?.text }] }] : []; },
  async deploy() { throw new Error('not here'); },
});
`;
}

describe('leak corpus: in-process paths', () => {
  const inputs: [string, string][] = [];
  for (const [kind, v] of Object.entries(VALUES)) {
    const j = JSON.stringify(v);
    inputs.push(
      [`${kind}: JSON, a value unquoted`, `{"API_KEY": ${v}}`],
      [`${kind}: JSON, cut short`, `{"API_KEY": ${j.slice(0, -3)}`],
      [`${kind}: JSON, missing comma after it`, `{"API_KEY": ${j}\n "B": 1}`],
      [`${kind}: JSON, trailing garbage`, `{"API_KEY": ${j}} ${v}`],
      [`${kind}: JSON, duplicate`, `{"API_KEY": ${j}, "API_KEY": ${j}}`],
      [`${kind}: JSON, BOM and garbage`, `\uFEFF${v}`],
      [`${kind}: .env, unquoted #`, `API_KEY=${v.split('\n')[0]}#x`],
      [`${kind}: .env, unterminated quote`, `API_KEY="${v}`],
      [`${kind}: .env, stray lines`, `A=1\n${v}\n`],
      [`${kind}: .env, duplicate`, `API_KEY=${JSON.stringify(v)}\nAPI_KEY=${JSON.stringify(v)}\n`],
    );
  }
  it.each(inputs)('malformed bulk input (%s): refused without a trace of the value', async (label, stdin) => {
    const p = makeProject();
    for (const flags of [[], ['--json'], ['--debug']]) {
      const r = await p.run(['secret', 'bulk', ...flags], { stdin });
      expect(r.code, r.all).not.toBe(0);
      if (flags[0] === '--json') expect(() => r.json()).not.toThrow();
      expectNoLeak(`${label} ${flags.join(' ')}`, r.all);
    }
  });

  const cases: [string, string, string][] = [];
  for (const [kind, v] of Object.entries(VALUES)) for (const how of Object.keys(encodings(v))) cases.push([kind, how, v]);
  it.each(cases)('a plugin error quoting the %s value (%s): redacted', async (_kind, how, value) => {
    const p: Project = makeProject({ 'leaky.mjs': plugin(`throw new Error('could not store ' + enc(${JSON.stringify(how)}) + ' for you');`) });
    for (const flags of [[], ['--json'], ['--debug']]) {
      const r = await p.run(['secret', 'put', 'API_KEY', '--backend', './leaky.mjs', ...flags], { stdin: value });
      expect(r.code).toBe(1);
      expect(r.all).toMatch(/could not store/);
      expectNoLeak(`${how} ${flags.join(' ')}`, r.all);
    }
  });

  it.each(Object.entries(VALUES))('a plugin returning the %s value (in a result, a version, a deployment): never printed', async (_k, value) => {
    const p = makeProject({ 'leaky.mjs': plugin('') });
    const put = await p.run(['secret', 'put', 'API_KEY', '--backend', './leaky.mjs', '--json', '--debug'], { stdin: value });
    expect(put.code, put.all).toBe(0);
    expectNoLeak('put', put.all);
    // The stripping is noted under --debug, naming the plugin.
    expect(put.stderr).toMatch(/debug: plugin "\.\/leaky\.mjs": updateSecrets\(\): dropped text of secret_text binding API_KEY/);
    for (const argv of [['versions', 'view', '00000000-0000-4000-8000-000000000000'], ['versions', 'list'], ['deployments', 'status']]) {
      for (const flags of [[], ['--json'], ['--debug']]) {
        const r = await p.run([...argv, '--backend', './leaky.mjs', ...flags]);
        expect(r.code, r.all).toBe(0);
        expectNoLeak(`${argv.join(' ')} ${flags.join(' ')}`, r.all);
      }
    }
    const view = await p.run(['versions', 'view', '00000000-0000-4000-8000-000000000000', '--backend', './leaky.mjs', '--json']);
    const secret = view.json().version.bindings.find((b: { name: string }) => b.name === 'API_KEY');
    expect(secret).toEqual({ type: 'secret_text', name: 'API_KEY' });
  });
});

describe('leak corpus: secret sync plans and upload previews (issue 18)', () => {
  it.each(Object.entries(VALUES))('the %s value through sync (dry run, plan, prune, --json, --debug) and upload --secrets-file: never printed', async (_k, value) => {
    const p = makeProject();
    const file = JSON.stringify({ API_KEY: value, OTHER: `${value}-2` });
    p.write('s.json', file);
    p.write('changed.json', JSON.stringify({ API_KEY: `${value}-changed` }));
    const runs: [string[], number][] = [
      [['secret', 'sync', 's.json', '--dry-run', '--exit-code'], 6],
      [['secret', 'sync', 's.json'], 0],
      [['secret', 'sync', 's.json', '--dry-run', '--exit-code'], 0],
      [['secret', 'sync', 'changed.json', '--dry-run'], 0],
      [['secret', 'sync', 'changed.json', '--prune', '--yes'], 0],
      [['versions', 'upload', '--secrets-file', 's.json', '--prune', '--dry-run'], 0],
      [['versions', 'upload', '--secrets-file', 's.json'], 0],
    ];
    for (const [argv, code] of runs) {
      for (const flags of [['--json'], ['--debug']]) {
        const r = await p.run([...argv, ...flags]);
        expect(r.code, r.all).toBe(code);
        expectNoLeak(`${argv.join(' ')} ${flags.join(' ')}`, r.all);
      }
    }
  });

  it.each(Object.entries(VALUES))('malformed sync input around the %s value: refused without a trace of it', async (_k, v) => {
    const p = makeProject();
    for (const stdin of [`{"API_KEY": ${v}}`, `API_KEY="${v}`, `A=1\n${v}\n`, `{"API_KEY": ${JSON.stringify(v)}, "OLD": null}`]) {
      for (const argv of [['secret', 'sync', '-', '--json'], ['versions', 'upload', '--secrets-file', '-', '--debug']]) {
        const r = await p.run(argv, { stdin });
        expect(r.code, r.all).toBe(2);
        expectNoLeak(argv.join(' '), r.all);
      }
    }
  });
});

describe('leak corpus: the Cloudflare API echoing values', () => {
  const api = useFakeApi();
  const echoes: [string, (v: string) => { status: number; headers?: Record<string, string>; body: string }][] = [
    ['in an error message', (v) => ({ status: 400, body: JSON.stringify({ success: false, errors: [{ code: 10021, message: `invalid secret text: ${v}` }], messages: [], result: null }) })],
    ['JSON-encoded in an error message', (v) => ({ status: 400, body: JSON.stringify({ success: false, errors: [{ code: 10021, message: `invalid body ${JSON.stringify({ text: v })}` }], messages: [], result: null }) })],
    ['a prefix of it', (v) => ({ status: 400, body: JSON.stringify({ success: false, errors: [{ code: 10021, message: `secret starting with ${v.slice(0, 14)}… is too weak` }], messages: [], result: null }) })],
    ['in an HTML title', (v) => ({ status: 502, headers: { 'content-type': 'text/html' }, body: `<html><title>bad ${v.slice(0, 40)}</title></html>` })],
    ['as an auth error', (v) => ({ status: 403, body: JSON.stringify({ success: false, errors: [{ code: 10000, message: `Authentication error for ${encodeURIComponent(v)}` }], messages: [], result: null }) })],
  ];
  const cases: [string, string, string][] = [];
  for (const [kind, v] of Object.entries(VALUES)) for (const [how] of echoes) cases.push([kind, how, v]);
  it.each(cases)('the %s value %s, answering a secret sync (its write) and an upload with --secrets-file (POST versions)', async (_kind, how, value) => {
    const echo = echoes.find(([h]) => h === how)![1];
    for (const flags of [['--json'], ['--debug']]) {
      for (const [argv, writes] of [[['secret', 'sync', 's.json', '--yes'], ['PUT', 'PATCH']], [['versions', 'upload', '--secrets-file', 's.json'], ['POST']]] as const) {
        api.reset();
        api.fault = (r) => ((writes as readonly string[]).includes(r.method) ? echo(value) : undefined);
        const p = cfProject(api, { MYCLI_HTTP_MAX_ATTEMPTS: '1' });
        p.write('s.json', JSON.stringify({ API_KEY: value }));
        const r = await p.run(cf(...argv, ...flags));
        expect(r.code, r.all).not.toBe(0);
        expectNoLeak(`${argv.join(' ')} ${how} ${flags.join(' ')}`, r.all);
      }
    }
  });

  it.each(cases)('the %s value %s', async (_kind, how, value) => {
    const echo = echoes.find(([h]) => h === how)![1];
    for (const flags of [['--json'], ['--debug'], []]) {
      api.reset();
      api.fault = (r) => (r.method === 'PUT' ? echo(value) : undefined);
      const r = await cfProject(api, { MYCLI_HTTP_MAX_ATTEMPTS: '1' }).run(cf('secret', 'put', 'API_KEY', ...flags), { stdin: value });
      expect(r.code, r.all).not.toBe(0);
      expectNoLeak(`${how} ${flags.join(' ')}`, r.all);
    }
  });
});

describe('leak corpus: the built binary, errors from a timer and unhandled rejections', () => {
  it.each([
    ['a timer throwing', 'setTimeout(() => { throw new Error("late failure with " + enc("json") + "\\n" + value); }, 0); await new Promise((r) => setTimeout(r, 200));'],
    ['an unhandled rejection', 'Promise.reject(new Error("rejected: " + enc("raw") + " / " + enc("base64"))); await new Promise((r) => setTimeout(r, 200));'],
  ])('%s in a plugin: one redacted error line, exit 1, no stack', async (_label, failure) => {
    const p = makeTempProject();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(p.dir, 'leaky.mjs'), plugin(failure));
    for (const [kind, value] of Object.entries(VALUES)) {
      for (const flags of [[], ['--json']]) {
        const r = await p.run(['secret', 'put', 'API_KEY', '--backend', './leaky.mjs', ...flags], { input: value });
        expect(r.code, `${kind}: ${r.all}`).toBe(1);
        expect(r.all).toMatch(/unexpected failure: .*(late failure|rejected)/);
        expect(r.all).not.toMatch(/\n\s+at .*:\d+:\d+/);
        if (flags[0] === '--json') expect(JSON.parse(r.stdout).error.code).toBe('internal');
        expectNoLeak(`${kind} ${flags.join(' ')}`, r.all);
      }
    }
  });
});
