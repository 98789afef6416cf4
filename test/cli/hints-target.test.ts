/**
 * Every command mycli prints for the user to run acts on the target it was printed for (issue 19
 * item 1). The runs below provoke every hint, note, warning and success line that names a
 * command — errors, CI refusals, empty lists, warnings, a version not deployed, the Secrets Store —
 * all with a non-default target (--env, -c, --name, --backend). The printed text is scanned for
 * EVERY `mycli …` command, so a hint added later is checked too: each must carry the four flags,
 * and a command printed outside backticks (which nothing could complete or check) fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, type Project, type RunOptions, type RunResult } from '../helpers/cli.js';

const CONFIG = `name = "hint-app"
main = "src/index.js"
compatibility_date = "2025-01-01"

[env.staging]
name = "hint-app-staging"
[env.staging.vars]
API_TOKEN = "sk_live_0123456789abcdefghijABCDEFGHIJ"
`;

const TARGET = ['--env', 'staging', '-c', 'deploy/wrangler.toml', '--name', 'hint-w', '--backend', 'local'];
const FLAGS = ['--env staging', '-c deploy/wrangler.toml', '--name hint-w', '--backend local'];
const TOP = ['secret', 'versions', 'deployments', 'rollback', 'backend', 'serve', 'types', 'secrets-store', 'whoami', 'complete'];

/** The `mycli …` commands in a text: backticked ones, and any printed bare (which fail). */
export function printedCommands(text: string): { commands: string[]; bare: string[] } {
  const commands: string[] = [];
  const outside = text.replace(/`([^`\n]*)`/g, (_, inner: string) => {
    const at = inner.search(/(?:^|[\s|])mycli /);
    if (at >= 0) commands.push(inner.slice(inner.indexOf('mycli ', at)));
    return ' ';
  });
  const bare = [...outside.matchAll(new RegExp(`\\bmycli (?:${TOP.join('|')})\\b[^\\n]*`, 'g'))].map((m) => m[0]);
  return { commands, bare };
}

function needsTarget(command: string): boolean {
  return !/^mycli (?:--help|help\b|<command> --help|--version)/.test(command) && !/\s--help\b/.test(command);
}

/** Every command printed in the runs carries the four target flags, none printed bare, no value shown; the commands seen. */
function scan(runs: [string, RunResult][]): Set<string> {
  const seen = new Set<string>();
  for (const [what, r] of runs) {
    const { commands, bare } = printedCommands(r.all);
    expect(bare, `${what}: a command printed outside backticks`).toEqual([]);
    for (const c of commands) {
      if (!needsTarget(c)) continue;
      seen.add(c.split(' ').slice(0, 4).join(' '));
      for (const flag of FLAGS) expect(c, `${what} printed \`${c}\` without ${flag}`).toContain(` ${flag}`);
    }
    for (const v of ['value-one-123', 'value-two-456', 'value-three-789', 'sk_live_0123456789']) expect(r.all).not.toContain(v);
  }
  return seen;
}

/** Runs `argv` with every target flag (in CI, unless told otherwise) and keeps each run for `scan`. */
function targetRunner(p: Project) {
  const runs: [string, RunResult][] = [];
  const go = async (argv: string[], o: RunOptions = { env: { CI: '1' } }) => {
    const r = await p.run([...argv, ...TARGET], o);
    runs.push([argv.join(' '), r]);
    return r;
  };
  return { runs, go };
}

describe('every printed command carries the target', () => {
  it('errors, notes, warnings and success lines, in text and JSON', async () => {
    const p = makeProject({ 'deploy/wrangler.toml': CONFIG, 'deploy/src/index.js': 'export default {};\n' });
    const { runs, go } = targetRunner(p);
    const both = async (argv: string[], o?: Parameters<typeof p.run>[1]) => {
      await go(argv, o);
      await go([...argv, '--json'], o);
    };
    // A Worker the store has never seen; lists of nothing.
    await both(['secret', 'list']);
    await both(['versions', 'list']);
    // No value in CI, an empty value, a value as an argument or a flag.
    await both(['secret', 'put', 'S1']);
    await both(['secret', 'put', 'S1'], { env: { CI: '1' }, stdin: '' });
    await both(['secret', 'put', 'S1', 'the-value']);
    await both(['secret', 'put', 'S1', '--value', 'x']);
    await both(['secret', 'bulk']);
    // A first secret (the credential-looking var is warned about), then a version not deployed.
    expect((await go(['secret', 'put', 'S1'], { env: { CI: '1' }, stdin: 'value-one-123' })).code).toBe(0);
    await both(['secret', 'list']);
    await both(['secret', 'delete', 'NOPE', '--yes']);
    await both(['versions', 'view', '999']);
    await both(['rollback']);
    await both(['versions', 'deploy']);
    const staged = await go(['versions', 'secret', 'put', 'S2'], { env: { CI: '1' }, stdin: 'value-two-456' });
    expect(staged.code).toBe(0);
    await both(['secret', 'put', 'S3'], { env: { CI: '1' }, stdin: 'value-three-789' });
    await both(['versions', 'secret', 'bulk']);
    // The Secrets Store: no stores, a taken name, an empty store, values missing.
    await both(['secrets-store', 'store', 'list']);
    await both(['secrets-store', 'secret', 'list']);
    expect((await go(['secrets-store', 'store', 'create', 'st1'])).code).toBe(0);
    await both(['secrets-store', 'store', 'create', 'st1']);
    await both(['secrets-store', 'secret', 'list', '--store', 'st1']);
    await both(['secrets-store', 'secret', 'create', 'K1', '--store', 'st1']);
    await both(['secrets-store', 'secret', 'update', 'K1', '--store', 'st1', '--comment', 'c']);
    await both(['secrets-store', 'secret', 'get', 'NOPE', '--store', 'st1']);
    await both(['secret', 'nope']);

    const seen = scan(runs);
    // The runs did provoke the hints they are here for (the scan cannot pass on silence).
    for (const c of [
      'mycli secret put S1',
      'mycli secret list --env',
      'mycli versions list --env',
      'mycli versions deploy 2@100%',
      'mycli versions secret put',
      'mycli secret put API_TOKEN',
      'mycli secrets-store store create',
      'mycli secrets-store store list',
      'mycli secrets-store secret create',
      'mycli secrets-store secret update',
      'mycli secrets-store secret list',
    ]) {
      expect([...seen].some((s) => s.startsWith(c) || c.startsWith(s)), `no run printed ${c} (seen: ${[...seen].join(' | ')})`).toBe(true);
    }
  }, 120_000);

  it('the rest: required secrets, sync, upload, a paused rollout and its status, 10215 on bulk, the types header', async () => {
    const config = CONFIG.replace('[env.staging.vars]', '[env.staging.secrets]\nrequired = ["REQ1", "REQ2"]\n[env.staging.vars]');
    const p = makeProject({ 'deploy/wrangler.toml': config, 'deploy/src/index.js': 'export default {};\n', 'drift.json': '{"REQ1":"value-one-123"}' });
    const { runs, go } = targetRunner(p);
    expect((await go(['secret', 'put', 'REQ1'], { env: { CI: '1' }, stdin: 'value-one-123' })).code).toBe(0);
    await go(['secret', 'list']); // warns: REQ2 is missing (secret/list.ts)
    await go(['secret', 'sync', 'drift.json', '--exit-code']); // --exit-code without --dry-run
    const upload = await go(['versions', 'upload', '--force-missing-secrets', '--yes']);
    expect(upload.code, upload.all).toBe(0);
    expect(upload.stderr).toMatch(/roll it out with `mycli versions deploy 2@100%/); // the number, not a 36-character id
    await go(['versions', 'upload']); // REQ2 missing: refused (versions/upload.ts hint)
    await go(['versions', 'deploy', '2@100%', '--yes']); // REQ2 missing: refused (versions/required.ts)
    expect((await go(['versions', 'secret', 'put', 'REQ2'], { env: { CI: '1' }, stdin: 'value-two-456' })).code).toBe(0);
    // The latest version (3) is not deployed: a deployed bulk change is refused (10215) and its way out reads stdin.
    const bulk = await go(['secret', 'bulk'], { env: { CI: '1' }, stdin: '{"REQ1":"value-three-789"}' });
    expect(bulk.code).toBe(5);
    expect(bulk.stderr).toContain('`mycli versions secret bulk < FILE --env staging');
    await go(['secret', 'sync', 'drift.json', '--dry-run', '--exit-code']); // changes pending: the apply command
    // A rollout paused after its first step, then its status.
    const paused = await go(['versions', 'rollout', '3', '--steps', '10,100', '--wait', '0', '--pause-at', '10', '--yes']);
    expect(paused.code, paused.all).toBe(0);
    await go(['versions', 'rollout', 'status']);
    // A gate that fails with --on-fail hold: the split is held, and the error's hint (holdHint) says how to go on.
    expect((await go(['versions', 'rollout', 'abort', '--yes'])).code).toBe(0);
    const held = await go(['versions', 'rollout', '3', '--steps', '10,100', '--wait', '0', '--check', 'exit 1', '--on-fail', 'hold', '--yes']);
    expect(held.code, held.all).not.toBe(0);
    expect(held.stderr).toMatch(/the split is held as it is/);
    // The held split is a gradual rollout: a deployed secret change is refused with that case's two ways out.
    const during = await go(['secret', 'put', 'REQ1'], { env: { CI: '1' }, stdin: 'value-one-123' });
    expect(during.code).toBe(5);
    expect(during.stderr).toMatch(/a gradual rollout is in progress/);
    // A bulk whose stdin never delivers: the timeout's hint pipes a file in (bulk.ts).
    const waited = await go(['secret', 'bulk'], { env: { CI: '1', MYCLI_STDIN_TIMEOUT: '0.3' }, stdinNeverEnds: true });
    expect(waited.code).toBe(2);
    // The file `types` writes names the command that made it, with the target.
    expect((await go(['types'])).code).toBe(0);
    const header = readFileSync(join(p.dir, 'deploy', 'worker-configuration.d.ts'), 'utf8').split('\n')[1];
    runs.push(['types (the header of the file)', { all: header } as RunResult]);
    expect(header).toMatch(/^\/\/ Generated by mycli by running `mycli types --env staging -c deploy\/wrangler.toml --name hint-w --backend local` \(hash: [0-9a-f]{32}\)$/);

    const seen = scan(runs);
    for (const c of [
      'mycli secret put REQ2',
      'mycli secret sync drift.json',
      'mycli versions deploy 2@100%',
      'mycli versions secret put',
      'mycli versions secret bulk',
      'mycli versions rollout abort',
      'mycli types --env',
    ]) {
      expect([...seen].some((x) => x.startsWith(c) || c.startsWith(x)), `no run printed ${c} (seen: ${[...seen].join(' | ')})`).toBe(true);
    }
    // The paused rollout's continue command (run.ts) and the status's (status.ts) name the version by 8 characters.
    const continues = runs.filter(([what]) => what.startsWith('versions rollout')).map(([, r]) => printedCommands(r.all).commands.filter((c) => /^mycli versions rollout [0-9a-f]{8} --steps /.test(c)));
    expect(continues.map((c) => c.length > 0)).toEqual([true, true, false, true]); // paused, status, abort, held
    expect(waited.stderr).toContain('`mycli secret bulk --env staging -c deploy/wrangler.toml --name hint-w --backend local < secrets.json`');
  }, 180_000);

  it('the scanner finds bare and backticked commands', () => {
    const { commands, bare } = printedCommands('see `mycli secret list --env x` and mycli versions list, or `printf x | mycli secret put A`');
    expect(commands).toEqual(['mycli secret list --env x', 'mycli secret put A']);
    expect(bare).toEqual(['mycli versions list, or  ']);
  });
});
