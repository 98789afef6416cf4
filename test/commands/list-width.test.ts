/**
 * Lists on a terminal of 80, 100 and 160 columns (issue 19 item 10): the table fits, ids are
 * shortened before a message is cut, titles are never cut, and the "N more" note comes after
 * the table (stdout and stderr are seen interleaved, as on a terminal).
 */
import { Readable, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import type { IO } from '../../src/io/io.js';
import { makeProject, type Project } from '../helpers/cli.js';
import { put } from '../helpers/scenarios.js';

/** One run with stdout and stderr into one stream, in the order they were written. */
async function onTerminal(p: Project, argv: string[], columns: number): Promise<{ text: string; stdout: string }> {
  const both: string[] = [];
  const out: string[] = [];
  const sink = (into?: string[]) =>
    new Writable({
      write(chunk, _e, cb) {
        both.push(String(chunk));
        into?.push(String(chunk));
        cb();
      },
    });
  const io: IO = {
    stdin: Readable.from([]),
    stdout: Object.assign(sink(out), { columns }),
    stderr: sink(),
    stdinIsTTY: true,
    stdoutIsTTY: true,
    stderrIsTTY: true,
    env: { ...p.env, PATH: process.env.PATH, NO_COLOR: '1' },
    cwd: p.dir,
    prompter: {} as IO['prompter'],
  };
  expect(await main(argv, { io })).toBe(0);
  return { text: both.join(''), stdout: out.join('') };
}

let p: Project;
const MESSAGE = 'fix the bug 12'; // 14 characters

beforeAll(async () => {
  p = makeProject();
  for (let i = 0; i < 3; i++) await put(p, 'A', `width-v4lue-${i}`, ['-m', MESSAGE]);
});

describe.each([80, 100, 160])('at %i columns', (columns) => {
  it.each([
    ['versions list', ['versions', 'list', '--limit', '2'], ['VERSION ID', '#', 'CREATED', 'TRAFFIC', 'MESSAGE'], 'version'],
    ['deployments list', ['deployments', 'list', '--limit', '2'], ['CREATED', 'VERSIONS', 'MESSAGE'], 'deployment'],
  ])('%s: fits, keeps the message whole before full ids, titles whole, "more" after the table', async (_n, argv, titles, noun) => {
    const { text, stdout } = await onTerminal(p, argv, columns);
    const lines = stdout.trimEnd().split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(columns);
    for (const t of titles) expect(lines[0]).toMatch(new RegExp(`(^|  )${t.replace('#', '\\#')}(  |$)`));
    // A 14-character message is never cut; full 36-character ids only when everything fits.
    expect(lines.slice(1).every((l) => l.endsWith(MESSAGE)), stdout).toBe(true);
    const fullIds = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(stdout);
    if (columns >= 160) expect(fullIds).toBe(true);
    if (columns <= 100) expect(fullIds).toBe(false);
    // The note about hidden rows follows the table (deployments list reads one page and one row
    // more, so it says that there are more without counting them).
    const note = noun === 'deployment' ? text.indexOf('… more deployments not shown') : text.indexOf(`… 1 more ${noun} not shown`);
    expect(note).toBeGreaterThan(text.indexOf(lines.at(-1)!));
  });
});
