/**
 * Exit codes of the built binary, and the stream contract: stdout carries only data (`--json`
 * parses), notes go to stderr.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, runBin } from './helpers.js';

describe('exit codes of the binary', () => {
  it('--version: exit 0, the version alone on stdout', async () => {
    const r = await runBin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stderr).toBe('');
  });

  it('--help: exit 0', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/secret/);
  });

  const usage: { title: string; args: string[]; input?: string; stderr: RegExp }[] = [
    { title: 'an unknown command', args: ['frobnicate'], stderr: /frobnicate|unknown command/i },
    { title: 'an unknown option', args: ['secret', 'list', '--frobnicate'], stderr: /frobnicate/ },
    { title: 'a missing argument', args: ['secret', 'put'], stderr: /NAME|argument/i },
    { title: 'an invalid secret name', args: ['secret', 'put', '1-bad'], input: 'v\n', stderr: /1-bad/ },
    { title: 'a secret name that is a [vars] key', args: ['secret', 'put', 'GREETING'], input: 'v\n', stderr: /GREETING/ },
    { title: 'delete without --yes when not interactive', args: ['secret', 'delete', 'X'], stderr: /--yes/ },
    { title: 'a missing --config file', args: ['secret', 'list', '--config', 'nope.toml'], stderr: /nope\.toml/ },
  ];
  it.each(usage)('usage error (exit 2): $title', async ({ args, input, stderr }) => {
    const p = makeTempProject();
    const r = await p.run(args, { input });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
  });

  it('usage error under --json: a JSON error document on stdout, exit 2', async () => {
    const p = makeTempProject();
    const r = await p.run(['secret', 'put', '1-bad', '--json'], { input: 'v\n' });
    expect(r.code).toBe(2);
    const doc = r.json();
    expect(doc.error.code).toMatch(/usage|config/);
    expect(doc.error.message).toMatch(/1-bad/);
  });

  it('not found (exit 3): deleting a secret that does not exist, an unknown version, an unknown Worker', async () => {
    const p = makeTempProject();
    expect((await p.run(['secret', 'put', 'EXISTS'], { input: 'v\n' })).code).toBe(0);
    const del = await p.run(['secret', 'delete', 'MISSING', '--yes']);
    expect(del.code).toBe(3);
    expect(del.stderr).toMatch(/MISSING/);
    const view = await p.run(['versions', 'view', '00000000-0000-4000-8000-000000000000']);
    expect(view.code).toBe(3);
    const worker = await p.run(['secret', 'list', '--name', 'never-seen']);
    expect(worker.code).toBe(3);
    expect(worker.stderr).toMatch(/never-seen/);
    const json = await p.run(['secret', 'delete', 'MISSING', '--yes', '--json']);
    expect(json.code).toBe(3);
    expect(json.json().error.code).toBe('not_found');
  });

  it('conflict (exit 5): secret put during a gradual rollout, nothing changed; versions secret put still works', async () => {
    const p = makeTempProject();
    const v1 = `one-${randomUUID()}`;
    expect((await p.run(['secret', 'put', 'TOKEN'], { input: v1 + '\n' })).code).toBe(0);
    const up = await p.run(['versions', 'upload', '--json']);
    expect(up.code).toBe(0);
    const v2id: string = up.json().versionId ?? up.json().version.id;
    const dep = await p.run(['versions', 'deploy', `${v2id}@30%`, '--yes', '--json']);
    expect(dep.code, dep.all).toBe(0);
    const status = await p.run(['deployments', 'status', '--json']);
    expect(status.code).toBe(0);
    const split = (status.json().versions as { id: string; percentage: number }[]).map((v) => v.percentage).sort();
    expect(split).toEqual([30, 70]);

    const versionsBefore = (await p.run(['versions', 'list', '--json'])).stdout;
    const v2 = `two-${randomUUID()}`;
    const r = await p.run(['secret', 'put', 'TOKEN'], { input: v2 + '\n' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/gradual rollout/);
    expect(r.stderr).toMatch(/versions secret put/);
    expect(r.stderr).toMatch(/10215/);
    expect(r.all).not.toContain(v2);
    expect((await p.run(['versions', 'list', '--json'])).stdout).toBe(versionsBefore);

    const json = await p.run(['secret', 'put', 'TOKEN', '--json'], { input: v2 + '\n' });
    expect(json.code).toBe(5);
    expect(json.json().error.code).toBe('gradual_rollout');
    expect(json.all).not.toContain(v2);

    const vput = await p.run(['versions', 'secret', 'put', 'TOKEN'], { input: v2 + '\n' });
    expect(vput.code).toBe(0);
    expect(vput.all).not.toContain(v2);
  });

  it('success (exit 0): stdout is data only, --json parses, notes are on stderr', async () => {
    const p = makeTempProject();
    const value = `ok-${randomUUID()}`;
    const put = await p.run(['secret', 'put', 'API_KEY', '--json'], { input: value + '\n' });
    expect(put.code).toBe(0);
    expect(() => JSON.parse(put.stdout)).not.toThrow();
    expect(put.stderr).toMatch(/e2e-worker/);
    expect(put.stderr).toMatch(/local/);
    expect(put.all).not.toContain(value);

    for (const args of [
      ['secret', 'list'],
      ['versions', 'list'],
      ['deployments', 'list'],
      ['deployments', 'status'],
      ['versions', 'secret', 'list'],
    ]) {
      const r = await p.run([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(() => JSON.parse(r.stdout), `${args.join(' ')} --json stdout:\n${r.stdout}`).not.toThrow();
      expect(r.all).not.toContain(value);
      // Global flags work before the command too.
      const before = await p.run(['--json', ...args]);
      expect(before.code).toBe(0);
      expect(JSON.parse(before.stdout)).toEqual(expect.objectContaining({ worker: 'e2e-worker' }));
    }

    const human = await p.run(['secret', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/API_KEY/);
    expect(human.stdout).not.toMatch(/warning|note|Putting/i);
    expect(human.all).not.toContain(value);
  });
});

describe('signals (issue 19 item 13)', () => {
  it('SIGTERM ends a command with 143 as the shell sees it (130 is SIGINT\'s), nothing stored', { timeout: 120_000 }, async () => {
    const p = makeTempProject();
    // secret put waits for its value on a FIFO the shell keeps open; the shell reports its status.
    const script = [
      'mkfifo in; exec 3<>in',
      '"$NODE" "$BIN" secret put WAITING <in 2>err.txt & pid=$!',
      'i=0; while ! grep -q Putting err.txt 2>/dev/null; do i=$((i+1)); [ $i -gt 600 ] && break; sleep 0.1; done',
      'kill -TERM $pid; wait $pid; echo "status $?"',
    ].join('\n');
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('sh', ['-c', script], { cwd: p.dir, env: { ...p.env, NODE: process.execPath, BIN }, encoding: 'utf8', timeout: 100_000 });
    expect(r.stdout, r.stderr).toContain('status 143');
    const list = await p.run(['secret', 'list', '--json']);
    expect(JSON.stringify(list.json())).not.toContain('WAITING');
  });
});
