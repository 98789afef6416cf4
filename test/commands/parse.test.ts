/**
 * Parse-only tests (gh's `TestNewCmdSet`): argv in, the arguments and options `run` is given out,
 * or the usage error a user sees. `run` is a recorder and the context a trap, so nothing here
 * reads a config, a backend or the disk.
 */
import { describe, expect, it } from 'vitest';
import { parseOnly } from '../helpers/parse.js';
import * as put from '../../src/commands/secret/put.js';
import * as bulk from '../../src/commands/secret/bulk.js';
import * as sync from '../../src/commands/secret/sync.js';
import * as upload from '../../src/commands/versions/upload.js';
import * as deploy from '../../src/commands/versions/deploy.js';
import * as rollback from '../../src/commands/versions/rollback.js';
import * as rollout from '../../src/commands/versions/rollout/index.js';
import { ExitCode } from '../../src/errors.js';

type Case = { argv: string[]; args?: unknown[]; opts?: Record<string, unknown>; command?: string; error?: RegExp };

async function check(def: Parameters<typeof parseOnly>[0], parents: string[], c: Case): Promise<void> {
  const r = await parseOnly(def, c.argv, parents);
  if (c.error) {
    expect(r.args, 'run was not called').toBeUndefined();
    expect(r.error?.message).toMatch(c.error);
    expect(r.error?.exitCode).toBe(ExitCode.usage);
    return;
  }
  expect(r.error?.message).toBeUndefined();
  if (c.command) expect(r.command).toBe(c.command);
  expect(r.args).toEqual(c.args);
  expect(r.opts).toEqual(c.opts);
}

describe('secret put', () => {
  it.each<Case>([
    { argv: ['API_KEY'], args: ['API_KEY'], opts: {} },
    { argv: ['API_KEY', '--from-file', 'key.pem'], args: ['API_KEY'], opts: { fromFile: 'key.pem' } },
    { argv: ['API_KEY', '--allow-empty', '-m', 'rotate'], args: ['API_KEY'], opts: { allowEmpty: true, message: 'rotate' } },
    { argv: ['--message=rotate', 'API_KEY'], args: ['API_KEY'], opts: { message: 'rotate' } },
    // Global options are the program's, not the command's: run gets its own options only.
    { argv: ['API_KEY', '--json', '--env', 'production', '-y'], args: ['API_KEY'], opts: {} },
    { argv: [], error: /^missing required argument 'NAME'$/ },
    { argv: ['API_KEY', '--from-file'], error: /^option '--from-file <path>' argument missing$/ },
    { argv: ['API_KEY', 'sk-typed-value'], error: /^`mycli secret put` takes the secret's name only: values are never arguments/ },
    { argv: ['API_KEY', '--value', 'sk-typed-value'], error: /^`mycli secret put` takes the secret's name only/ },
    { argv: ['API_KEY', '--form-file', 'x'], error: /^unknown option '--form-file'. Did you mean '--from-file'\?$/ },
  ])('$argv', (c) => check(put.command(), ['secret'], c));

  it('the same declaration as `versions secret put`', async () => {
    const r = await parseOnly(put.command(false), ['API_KEY', 'sk-typed-value'], ['versions', 'secret']);
    expect(r.error?.message).toMatch(/^`mycli versions secret put` takes the secret's name only/);
    expect(r.error?.message).not.toContain('sk-typed-value');
    expect(r.error?.hint).not.toContain('sk-typed-value');
  });
});

describe('secret bulk', () => {
  it.each<Case>([
    { argv: [], args: [undefined], opts: {} },
    { argv: ['secrets.json'], args: ['secrets.json'], opts: {} },
    { argv: ['-', '--allow-empty', '-m', 'import'], args: ['-'], opts: { allowEmpty: true, message: 'import' } },
    { argv: ['a.json', 'b.json'], error: /^too many arguments for 'bulk'\. Expected 1 argument but got 2\.$/ },
    { argv: ['--allow-empty=yes'], error: /^option '--allow-empty' argument 'yes' is invalid|unknown option|does not take/i },
  ])('$argv', (c) => check(bulk.command(), ['secret'], c));
});

describe('versions deploy', () => {
  it.each<Case>([
    { argv: [], args: [[]], opts: {} },
    { argv: ['a1b2@100%'], args: [['a1b2@100%']], opts: {} },
    { argv: ['a1b2@10%', 'c3d4@90%', '--dry-run', '-m', 'canary'], args: [['a1b2@10%', 'c3d4@90%']], opts: { dryRun: true, message: 'canary' } },
    { argv: ['a1b2@10%', '--message'], error: /^option '-m, --message <text>' argument missing$/ },
    { argv: ['--dryrun'], error: /^unknown option '--dryrun'. Did you mean '--dry-run'\?$/ },
  ])('$argv', (c) => check(deploy.command, ['versions'], c));
});

describe('versions rollback (and rollback)', () => {
  it.each<Case>([
    { argv: [], args: [undefined], opts: {} },
    { argv: ['3'], args: ['3'], opts: {} },
    { argv: ['a1b2c3d4', '-m', 'bad deploy', '--yes'], args: ['a1b2c3d4'], opts: { message: 'bad deploy' } },
    { argv: ['a1b2', 'c3d4'], error: /^too many arguments for 'rollback'/ },
  ])('$argv', async (c) => {
    await check(rollback.command(), ['versions'], c);
    await check(rollback.command(), [], c);
  });
});

describe('versions rollout', () => {
  const defaults = { steps: '10,50,100', wait: '1m', checkSamples: '5', checkTimeout: '30s', onFail: 'rollback' };
  it.each<Case>([
    { argv: ['1a2b3c4d'], command: 'rollout', args: ['1a2b3c4d'], opts: defaults },
    {
      argv: ['1a2b3c4d', '--steps', '0,10,100', '--wait', '5m', '--check-url', 'https://example.com/health', '--check-samples', '3', '--on-fail', 'hold', '--dry-run'],
      command: 'rollout',
      args: ['1a2b3c4d'],
      opts: { ...defaults, steps: '0,10,100', wait: '5m', checkUrl: 'https://example.com/health', checkSamples: '3', onFail: 'hold', dryRun: true },
    },
    { argv: ['1a2b3c4d', '--check', './smoke.sh', '--check-timeout', '10s', '-m', 'v2'], command: 'rollout', args: ['1a2b3c4d'], opts: { ...defaults, check: './smoke.sh', checkTimeout: '10s', message: 'v2' } },
    { argv: ['status'], command: 'rollout status', args: [], opts: {} },
    { argv: ['abort', '-m', 'errors at 10%', '--yes'], command: 'rollout abort', args: [], opts: { message: 'errors at 10%' } },
    { argv: [], error: /^missing required argument 'VERSION'$/ },
    { argv: ['1a2b3c4d', '--check-url'], error: /^option '--check-url <url>' argument missing$/ },
    { argv: ['abort', 'now'], error: /^too many arguments for 'abort'/ },
  ])('$argv', (c) => check(rollout.command, ['versions'], c));
});

describe('secret sync (issue 18)', () => {
  it.each<Case>([
    { argv: ['s.env'], args: ['s.env'], opts: { deploy: true } },
    { argv: ['-', '--prune', '--dry-run', '--exit-code'], args: ['-'], opts: { deploy: true, prune: true, dryRun: true, exitCode: true } },
    { argv: ['s.json', '--no-deploy', '-m', 'ci', '--force-missing-secrets'], args: ['s.json'], opts: { deploy: false, message: 'ci', forceMissingSecrets: true } },
    { argv: [], error: /^missing required argument 'FILE'$/ },
  ])('$argv', async (c) => check(sync.command, ['secret'], c));
});

describe('versions upload / deploy / rollback / rollout: --force-missing-secrets, upload --secrets-file (issue 18)', () => {
  it.each<Case>([
    { argv: ['--secrets-file', 's.env', '--prune', '--dry-run'], args: [], opts: { secretsFile: 's.env', prune: true, dryRun: true } },
    { argv: ['--force-missing-secrets'], args: [], opts: { forceMissingSecrets: true } },
    { argv: ['--secrets-file'], error: /^option '--secrets-file <file>' argument missing$/ },
  ])('upload $argv', async (c) => check(upload.command, ['versions'], c));
  it('deploy, rollback and rollout take --force-missing-secrets', async () => {
    expect((await parseOnly(deploy.command, ['1@100%', '--force-missing-secrets'], ['versions'])).opts).toMatchObject({ forceMissingSecrets: true });
    expect((await parseOnly(rollback.command(), ['1', '--force-missing-secrets'], [])).opts).toMatchObject({ forceMissingSecrets: true });
    expect((await parseOnly(rollout.command, ['1', '--force-missing-secrets'], ['versions'])).opts).toMatchObject({ forceMissingSecrets: true });
  });
});
