/** The pure parts of versions rollout: steps, durations, messages, and reading the history. */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/commands/versions/rollout/run.js';
import { continueArgs, gatesDiffer, gatesTag } from '../../src/commands/versions/rollout/continuation.js';
import { decideStart, findLiveRollout, parseStepMessage, parseSteps, stepMessage } from '../../src/commands/versions/rollout/plan.js';
import { formatDuration, parseDuration } from '../../src/commands/duration.js';
import { splitAt, stableVersionOf } from '../../src/domain/deployments.js';
import type { Deployment } from '../../src/backends/types.js';
import { fakeWorld, runRollout } from '../helpers/rollout.js';
import { makeProject } from '../helpers/cli.js';
import { twoVersions } from '../helpers/scenarios.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';
let n = 0;
const dep = (versions: [string, number][], message?: string): Deployment => ({
  id: `d${++n}`,
  createdOn: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`,
  message,
  versions: versions.map(([versionId, percentage]) => ({ versionId, percentage })),
});

describe('parsing', () => {
  it.each([
    ['10,50,100', [10, 50, 100]],
    ['0,10,50', [0, 10, 50, 100]],
    [' 5% , 25%', [5, 25, 100]],
    ['100', [100]],
    ['0.5,2.25', [0.5, 2.25, 100]],
  ])('--steps %s', (text, steps) => expect(parseSteps(text)).toEqual(steps));

  it.each([['50,10'], ['10,10'], ['-1,50'], ['10,,50'], ['abc'], ['101'], ['']])('--steps %j is refused (exit 2)', (text) => {
    expect(() => parseSteps(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['90', 90_000],
    ['0', 0],
  ])('duration %s', (text, ms) => expect(parseDuration(text, '--wait')).toBe(ms));

  it.each([['5 minutes'], ['m'], ['1d'], ['-5s'], ['']])('duration %j is refused', (text) => {
    expect(() => parseDuration(text, '--wait')).toThrow(/--wait .* is not a duration/);
  });

  it('formats durations and messages', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(0)).toBe('0s');
    expect(stepMessage('1a2b3c4d', 2, 4, 50)).toBe('rollout 1a2b3c4d: step 2/4, 50%');
    expect(parseStepMessage('rollout 1a2b3c4d: step 2/4, 50% - release 7')).toEqual({ id: '1a2b3c4d', step: 2, of: 4, percent: 50 });
    expect(parseStepMessage('rollout 1a2b3c4d: rolled back')).toBeUndefined();
    expect(stepMessage('1a2b3c4d', 1, 2, 0, 'x'.repeat(200)).length).toBe(100);
  });
});

describe('deployment rules', () => {
  it('a stable deployment is one version at 100%', () => {
    expect(stableVersionOf(dep([[A, 100]]))).toBe(A);
    expect(stableVersionOf(dep([[A, 0], [B, 100]]))).toBeUndefined();
    expect(stableVersionOf(dep([[A, 50], [B, 50]]))).toBeUndefined();
    expect(splitAt(B, A, 0)).toEqual([{ versionId: B, percentage: 0 }, { versionId: A, percentage: 100 }]);
    expect(splitAt(B, A, 33.3)).toEqual([{ versionId: B, percentage: 33.3 }, { versionId: A, percentage: 66.7 }]);
    expect(splitAt(B, A, 100)).toEqual([{ versionId: B, percentage: 100 }]);
  });
});

describe('reading the history', () => {
  it('finds the live rollout, its target, its stable version and its steps (newest first)', () => {
    const start = dep([[A, 100]]);
    const s1 = dep([[B, 0], [A, 100]], 'rollout 12345678: step 1/3, 0%');
    const s2 = dep([[A, 50], [B, 50]], 'rollout 12345678: step 2/3, 50%');
    const r = findLiveRollout([s2, s1, start, dep([[C, 100]])])!;
    expect(r).toMatchObject({ id: '12345678', target: B, stable: A, liveTag: { step: 2, of: 3, percent: 50 } });
    expect(r.steps.map((x) => x.deployment.id)).toEqual([s1.id, s2.id]);
    expect(decideStart([s2, s1, start], B)).toMatchObject({ kind: 'resume', stable: A });
    expect(decideStart([s2, s1, start], C)).toMatchObject({ kind: 'refused' });
  });

  it('without the start in the history, the target is the version at the step percentage', () => {
    const s = dep([[B, 10], [A, 90]], 'rollout 12345678: step 1/3, 10%');
    expect(findLiveRollout([s])).toMatchObject({ target: B, stable: A });
  });

  it('an older rollout of the same id further back does not count; a rolled-back one is over', () => {
    const rolled = dep([[A, 100]], 'rollout 12345678: rolled back');
    const s1 = dep([[B, 10], [A, 90]], 'rollout 12345678: step 1/3, 10%');
    expect(findLiveRollout([rolled, s1])).toBeUndefined();
    expect(decideStart([rolled, s1], B)).toMatchObject({ kind: 'fresh', stable: A });
    expect(decideStart([], B)).toMatchObject({ kind: 'refused' });
    expect(decideStart([dep([[B, 100]])], B)).toMatchObject({ kind: 'already' });
  });
});

describe('the wait on a terminal', () => {
  it('draws a countdown with a progress bar on stderr, a line per minute otherwise', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    const tty = await runRollout(p, { version: v2, steps: '100', wait: '3s' }, fakeWorld(), { tty: true });
    expect(tty.code, tty.all).toBe(0);
    expect(tty.stderr).toContain('\r\u001b[2K  ░░░░░░░░░░░░░░░░░░░░░░░░ 3s left · step 1/1 (100%)');
    expect(tty.stderr).toContain('2s left');
    expect(tty.stderr).toMatch(/█+░+ 1s left/);

    const q = makeProject();
    const { v2: w2 } = await twoVersions(q);
    const piped = await runRollout(q, { version: w2, steps: '100', wait: '2m30s' }, fakeWorld());
    expect(piped.code, piped.all).toBe(0);
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).toContain('waiting 2m30s after step 1/1 (100%)');
    expect(piped.stderr).toContain('  1m30s left · step 1/1 (100%)');
    expect(piped.stderr).toContain('  30s left · step 1/1 (100%)');
  });
});

describe('a running --check shows that it runs (issue 19, item 12)', () => {
  it('on a terminal a line with the elapsed time, redrawn each second and cleared; otherwise one line when it starts', async () => {
    const p = makeProject();
    const { v2 } = await twoVersions(p);
    // The check takes 2.5 seconds of real time, so the line is redrawn at least once.
    const tty = await runRollout(p, { version: v2, steps: '100', wait: '0', check: 'sleep 2.5' }, fakeWorld(), { tty: true });
    expect(tty.code, tty.all).toBe(0);
    expect(tty.stderr).toContain('\r\u001b[2K  gate check at 100%: running `sleep 2.5` · 0s');
    expect(tty.stderr).toMatch(/\r\u001b\[2K {2}gate check at 100%: running `sleep 2\.5` · [12]s\r\u001b\[2K/);

    const q = makeProject();
    const { v2: w2 } = await twoVersions(q);
    const piped = await runRollout(q, { version: w2, steps: '100', wait: '0', check: 'true' }, fakeWorld());
    expect(piped.code, piped.all).toBe(0);
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).toContain('gate check at 100%: running `true`\n');
  });
});

describe('the plan a continuation carries', () => {
  it('step messages record the gates the rollout started with, and read back', () => {
    const tag = { hash: '0a1b2c3d', kinds: 'cei' };
    expect(stepMessage('1a2b3c4d', 2, 4, 50, 'release 7', tag)).toBe('rollout 1a2b3c4d: step 2/4, 50%, gates 0a1b2c3d cei - release 7');
    expect(parseStepMessage('rollout 1a2b3c4d: step 2/4, 50%, gates 0a1b2c3d cei - release 7')).toEqual({ id: '1a2b3c4d', step: 2, of: 4, percent: 50, gates: tag });
    // Within Cloudflare's 100 characters, the user's text is cut first.
    expect(parseStepMessage(stepMessage('1a2b3c4d', 2, 4, 33.333, 'x'.repeat(200), tag))!.gates).toEqual(tag);
  });

  it('the continue command quotes each word for the shell and differs when a gate setting differs', () => {
    const o = parseFlags({ version: 'v', steps: '0.5,10', wait: '90', check: `./smoke.sh --name "it's"`, maxErrorRate: '1%', interval: '30s', bake: '1h', pauseAt: '10', message: 'release 7' });
    expect(continueArgs('1a2b3c4d', o)).toBe(
      `versions rollout 1a2b3c4d --steps 0.5,10,100 --wait 1m30s --check './smoke.sh --name "it'\\''s"' --check-timeout 30s --max-error-rate 1 --min-requests 100 --interval 30s --failure-limit 1 --inconclusive hold --bake 1h --pause-at 10 --on-fail rollback -m 'release 7'`,
    );
    const same = gatesTag(o)!;
    expect(same.kinds).toBe('ceb');
    expect(gatesTag(parseFlags({ version: 'v', steps: '0.5,10', wait: '90', check: `./smoke.sh --name "it's"`, maxErrorRate: '1%', interval: '30s', bake: '1h' }))).toEqual(same);
    expect(gatesTag(parseFlags({ version: 'v', wait: '90', check: `./smoke.sh --name "it's"`, maxErrorRate: '2', interval: '30s', bake: '1h' }))!.hash).not.toBe(same.hash);
    expect(gatesTag(parseFlags({ version: 'v' }))).toBeUndefined();
    expect(gatesDiffer(same, undefined)).toMatch(/started with --check, --max-error-rate, --bake; this run has no gates/);
    expect(gatesDiffer(undefined, same)).toBeUndefined();
  });
});
