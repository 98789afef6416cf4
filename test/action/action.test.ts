/**
 * The GitHub Action (action.yml, issue 18 item 5), run as GitHub would run its composite steps:
 * each `run:` step of action.yml with its `env:` (inputs substituted) through bash, in order,
 * stopping at the first failure, with a fake GITHUB_OUTPUT / GITHUB_ENV / RUNNER_TEMP and the
 * built mycli on PATH (the setup-node and npm install steps are the ones not run: no network).
 * Checks: every value is masked (`::add-mask::`, line by line) before anything else prints and
 * appears nowhere else; the version and deployment ids become outputs; the secrets file is gone
 * afterwards.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  workingDirectory?: string;
  env: Record<string, string>;
}

/** The inputs' defaults and the steps of action.yml (the simple YAML it is written in). */
function readAction(): { defaults: Record<string, string>; steps: Step[] } {
  const defaults: Record<string, string> = {};
  const inputs = ACTION.slice(ACTION.indexOf('\ninputs:'), ACTION.indexOf('\noutputs:'));
  for (const m of inputs.matchAll(/\n {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: '([^']*)'/g)) defaults[m[1]] = m[2];
  const steps = ACTION.slice(ACTION.indexOf('  steps:\n') + '  steps:\n'.length)
    .split(/\n {4}- /)
    .map((block) => {
      const step: Step = { env: {} };
      let inEnv = false;
      for (const raw of block.replace(/^ {4}- /, '').split('\n')) {
        const line = raw.replace(/^ {6}/, '');
        const kv = /^\s*([A-Za-z_-]+):\s*(.*)$/.exec(line);
        if (!kv) continue;
        if (/^ {8}/.test(raw) || (inEnv && /^ {2}\S/.test(line))) {
          if (inEnv) step.env[kv[1]] = kv[2];
          continue;
        }
        inEnv = kv[1] === 'env';
        if (kv[1] === 'id') step.id = kv[2];
        if (kv[1] === 'uses') step.uses = kv[2];
        if (kv[1] === 'run') step.run = kv[2];
        if (kv[1] === 'working-directory') step.workingDirectory = kv[2];
      }
      return step;
    });
  return { defaults, steps };
}

interface ActionRun {
  /** Each step's stdout, in order (the job log). */
  log: string;
  code: number;
  outputs: Record<string, string>;
  exported: Record<string, string>;
  runnerTemp: string;
  ran: string[];
}

function kv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Run the action's steps as GitHub would, with `with` inputs and the step's `env` (the CI secrets). */
function runAction(p: Project, inputs: Record<string, string>, stepEnv: Record<string, string>): ActionRun {
  const { defaults, steps } = readAction();
  const tmp = mkdtempSync(join(tmpdir(), 'mycli-action-test-'));
  const bin = join(tmp, 'bin');
  mkdirSync(bin);
  // `mycli` on PATH: the built binary (what `npm install --global mycli` would give).
  writeFileSync(join(bin, 'mycli'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'mycli.js')}" "$@"\n`);
  chmodSync(join(bin, 'mycli'), 0o755);
  const runnerTemp = join(tmp, 'runner-temp');
  mkdirSync(runnerTemp);
  const outputFile = join(tmp, 'github-output');
  const envFile = join(tmp, 'github-env');
  writeFileSync(outputFile, '');
  writeFileSync(envFile, '');
  const all = { ...defaults, ...inputs };
  const expand = (v: string) => v.replace(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g, (_, name: string) => all[name] ?? '');
  let log = '';
  const ran: string[] = [];
  for (const step of steps) {
    if (step.uses) {
      expect(step.uses).toMatch(/^actions\/setup-node@v\d+$/);
      continue;
    }
    if (step.id === 'install') {
      expect(step.run).toMatch(/npm install --global .*"mycli@\$MYCLI_VERSION"/);
      continue;
    }
    const env: Record<string, string> = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: p.env.HOME,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      RUNNER_TEMP: runnerTemp,
      CI: 'true',
      ...p.env,
      ...stepEnv,
      ...Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, expand(v)])),
    };
    const cwd = resolve(p.dir, step.workingDirectory ? expand(step.workingDirectory) : '.');
    const r = spawnSync('bash', ['-c', step.run!], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    ran.push(step.id ?? step.run!);
    log += r.stdout + r.stderr;
    if (r.status !== 0) return { log, code: r.status ?? 1, outputs: kv(outputFile), exported: kv(envFile), runnerTemp, ran };
  }
  return { log, code: 0, outputs: kv(outputFile), exported: kv(envFile), runnerTemp, ran };
}

/** Every line carrying any part of a value is an ::add-mask:: line, and they all come first. */
function expectMaskedFirst(log: string, values: string[]): void {
  const lines = log.split('\n');
  const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
  const masks = lines.slice(0, firstOther).map((l) => l.slice('::add-mask::'.length));
  for (const v of values) {
    for (const part of v.split('\n').filter(Boolean)) expect(masks, `a line of a value is not masked before anything ran`).toContain(part.replace(/%/g, '%25'));
  }
  for (const l of lines.slice(firstOther)) {
    for (const v of values) for (const part of v.split('\n').filter((x) => x.length > 3)) expect(l.includes(part), `a value was printed: ${l.slice(0, 20)}…`).toBe(false);
  }
}

const SECRETS = { API_KEY: 'action-v4lue-api-%41', PEM: '-----BEGIN KEY-----\nact1on-line-two\n-----END KEY-----' };

describe('the GitHub Action (action.yml)', () => {
  it('masks every value first, syncs the named CI secrets in one version, and outputs the version and deployment ids', () => {
    const p = makeProject();
    const r = runAction(p, { secrets: 'API_KEY\nPEM' }, SECRETS);
    expect(r.code, r.log).toBe(0);
    expect(r.ran).toEqual(['mask', 'run']);
    expectMaskedFirst(r.log, [...Object.values(SECRETS), p.env.MYCLI_LOCAL_KEY]);
    expect(r.outputs['version-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.outputs['deployment-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.exported).toEqual({ MYCLI_VERSION_ID: r.outputs['version-id'], MYCLI_DEPLOYMENT_ID: r.outputs['deployment-id'] });
    expect(readdirSync(r.runnerTemp)).toEqual([]);

    const list = spawnSync(process.execPath, [join(ROOT, 'bin', 'mycli.js'), 'versions', 'list', '--json'], { cwd: p.dir, env: { ...process.env, ...p.env }, encoding: 'utf8' });
    const versions = JSON.parse(list.stdout).versions;
    expect(versions).toHaveLength(1);
    expect(versions[0].id).toBe(r.outputs['version-id']);

    // Again: already in sync, no version, empty outputs.
    const again = runAction(p, { secrets: 'API_KEY, PEM' }, SECRETS);
    expect(again.code, again.log).toBe(0);
    expect(again.log).toMatch(/already in sync/);
    expect(again.outputs['version-id']).toBe('');
  });

  it('command with the secrets file (sync: false): code and secrets in one uploaded version, on the chosen environment', () => {
    const p = makeProject();
    const r = runAction(p, { secrets: 'API_KEY', sync: 'false', environment: 'staging', command: 'versions upload --secrets-file "$MYCLI_SECRETS_FILE" --prune' }, SECRETS);
    expect(r.code, r.log).toBe(0);
    expectMaskedFirst(r.log, [SECRETS.API_KEY]);
    expect(r.outputs['version-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.outputs['deployment-id']).toBe('');
    const view = spawnSync(process.execPath, [join(ROOT, 'bin', 'mycli.js'), 'versions', 'view', r.outputs['version-id'], '--env', 'staging', '--json'], {
      cwd: p.dir,
      env: { ...process.env, ...p.env },
      encoding: 'utf8',
    });
    expect(view.status, view.stderr).toBe(0);
    expect(view.stdout).toContain('"API_KEY"');
    expect(readdirSync(r.runnerTemp)).toEqual([]);
  });

  it('a named secret that is not set stops the action at the mask step, before anything runs (exit 2)', () => {
    const p = makeProject();
    const r = runAction(p, { secrets: 'API_KEY\nMISSING' }, { API_KEY: SECRETS.API_KEY });
    expect(r.code).toBe(2);
    expect(r.ran).toEqual(['mask']);
    expect(r.log).toMatch(/::error::mycli action: secret MISSING is not set or empty/);
    expect(r.outputs).toEqual({});
  });

  it('a failing mycli command fails the step with its exit code and an ::error:: annotation (no value in it)', () => {
    const p = makeProject({ 'wrangler.toml': 'name = "my-worker"\nmain = "src/index.js"\n[secrets]\nrequired = ["OTHER"]\n' });
    const r = runAction(p, { secrets: 'API_KEY', command: 'versions upload' }, { API_KEY: SECRETS.API_KEY });
    expect(r.code, r.log).toBe(2);
    expect(r.log).toMatch(/::error::mycli versions upload failed \(exit 2\): refusing the upload: version 2 lacks OTHER/);
    expectMaskedFirst(r.log, [SECRETS.API_KEY]);
    // The sync before it made version 1: its id is still an output.
    expect(r.outputs['version-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
