/**
 * The deploy picker in a REAL pseudo-terminal (python3's `pty` drives the built binary): it
 * shows the current deployment and the versions, and Ctrl-C erases the list and exits 130 with
 * nothing deployed. What is left on screen is replayed by a small terminal model (screen.ts).
 */
import { describe, expect, it } from 'vitest';
import { makeTempProject } from './helpers.js';
import { hasPython, runInPty } from './pty.js';
import { finalScreen } from './screen.js';

// Skipped only where python3 is missing (it is the pty driver; node-pty would need a native build).
describe.skipIf(!hasPython)('the deploy picker in a real pseudo-terminal', () => {
  it('shows the live split and the versions; Ctrl-C erases the list, exits 130, deploys nothing', async () => {
    const p = makeTempProject();
    for (const m of ['first', 'second', 'third']) expect((await p.run(['versions', 'upload', '--message', m])).code).toBe(0);
    expect((await p.run(['versions', 'deploy', '2@100%', '--yes'])).code).toBe(0);
    expect((await p.run(['versions', 'deploy', '3@25%', '--yes'])).code).toBe(0);
    const before = (await p.run(['deployments', 'list', '--json'])).json().deployments.length;

    const r = await runInPty(p, ['versions', 'deploy'], [
      { expect: 'Which version do you want to deploy?' },
      { expect: 'first' },
      { sleep: 0.3 },
      { send: '\x03' },
    ], { COLUMNS: '100' });
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(130);
    // While it was drawn, the picker showed the live shares.
    expect(r.output).toMatch(/Current deployment: version 3 \(25%\) \+ version 2 \(75%\)/);
    expect(r.output).toMatch(/● 25%/);
    const screen = finalScreen(r.output).join('\n');
    // After Ctrl-C: the list is gone, the note and the cancellation stay.
    expect(screen).not.toMatch(/Which version do you want to deploy/);
    expect(screen).not.toMatch(/first|second|third/);
    expect(screen).toMatch(/Current deployment: version 3 \(25%\)/);
    expect(screen).toMatch(/cancelled/);
    expect((await p.run(['deployments', 'list', '--json'])).json().deployments).toHaveLength(before);
  });
});
