/**
 * The hidden prompt in a REAL pseudo-terminal (python3's `pty` module drives the built binary):
 * the typed value is never echoed, it is stored, and Ctrl+C cancels with exit 130.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptLatest, makeTempProject } from './helpers.js';
import { hasPython, runInPty } from './pty.js';

// Skipped only where python3 (Debian's, on every machine of this project) is missing: it is the
// pty driver, since node-pty would need a native build.
// Generous safety timeouts (60 s per expect, 90 s per run, here 120 s per test): the machine may be busy.
describe.skipIf(!hasPython)('hidden prompt in a real pseudo-terminal', { timeout: 120_000 }, () => {
  it('the typed value is stored, never echoed, and the command exits 0', async () => {
    const p = makeTempProject();
    const value = `typed-${randomUUID()}`;
    const r = await runInPty(p, ['secret', 'put', 'PROMPTED'], [
      { expect: 'Enter the value of secret PROMPTED' },
      { sleep: 0.2 },
      { send: value },
      { sleep: 0.2 },
      { send: '\r' },
      { expect: 'secret PROMPTED added' },
    ]);
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(0);
    // Not the value, and not even a long piece of it (echoed character by character, masked or not).
    expect(r.output).not.toContain(value);
    expect(r.output).not.toContain(value.slice(6, 18));
    expect(r.output).not.toMatch(/\*{8,}/); // no mask of the same length either
    expect(decryptLatest(p, 'PROMPTED')).toBe(value);
  });

  it('Ctrl+C at the prompt: exit 130, a clear note, nothing stored', async () => {
    const p = makeTempProject();
    const partial = `partial-${randomUUID()}`;
    const r = await runInPty(p, ['secret', 'put', 'CANCELLED'], [
      { expect: 'Enter the value of secret CANCELLED' },
      { sleep: 0.2 },
      { send: partial },
      { sleep: 0.2 },
      { send: '\x03' },
    ]);
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(130);
    expect(r.output).toMatch(/cancelled/);
    expect(r.output).not.toContain(partial);
    // Nothing stored: the store was never written (or, if it exists, has no such secret).
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.json().secrets).toEqual([]);
  });

  it('with CI set, a terminal is not interactive: no prompt, a clear error naming the way to pipe', async () => {
    const p = makeTempProject();
    const r = await runInPty(p, ['secret', 'put', 'IN_CI'], [{ sleep: 0.1 }], { CI: 'true' });
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(2);
    expect(r.output).not.toMatch(/Enter the value/);
    expect(r.output).toMatch(/IN_CI/);
    expect(r.output).toMatch(/--from-file/);
  });
});
