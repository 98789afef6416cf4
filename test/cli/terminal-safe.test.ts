/**
 * Text others wrote reaches a terminal as text, never as commands to it. A version's message or
 * author can come from anyone with access to the account or the store folder (wrangler, the API,
 * MYCLI_AUTHOR): an escape in it must not clear the screen, retitle the window or write to the
 * clipboard, and a newline must not split a table row. mycli's own `-m` refuses them up front.
 * JSON output keeps the value as stored (JSON escapes control characters itself).
 */
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backends/local/backend.js';
import { oneLine, terminalSafe } from '../../src/cli/format.js';
import { makeProject } from '../helpers/cli.js';

const ESC = '\u001b';
const HOSTILE = `ok${ESC}[2J${ESC}]0;pwned\u0007${ESC}]52;c;ZXZpbA==\u0007\nTraffic 100%\rX\u009b31m`;
/** Any control character but newline: what a terminal would act on. */
const ACTS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('text from elsewhere is shown, not obeyed', () => {
  it('terminalSafe escapes what acts on a terminal and keeps newlines, tabs and colour codes', () => {
    expect(terminalSafe(`a\tb\nc ${ESC}[32mgreen${ESC}[39m`)).toBe(`a\tb\nc ${ESC}[32mgreen${ESC}[39m`);
    expect(terminalSafe(`${ESC}[2J${ESC}]0;t\u0007\r\u009b\u0000`)).toBe('\\x1b[2J\\x1b]0;t\\x07\\r\\x9b\\x00');
    expect(oneLine(`a\tb\nc${ESC}[8mhidden`)).toBe('a\\tb\\nc\\x1b[8mhidden');
  });

  it('versions list, versions view, deployments list and status show a hostile message and author as escapes', async () => {
    const p = makeProject({}, { MYCLI_AUTHOR: `mallory${ESC}[8m` });
    const put = await p.run(['secret', 'put', 'API_KEY'], { stdin: 'terminal-safe-value' });
    expect(put.code, put.stderr).toBe(0);
    // As another client would write it: straight through the backend, not through mycli's -m.
    const backend = new LocalBackend({ env: p.env });
    const target = { worker: 'my-worker', projectDir: p.dir, configPath: `${p.dir}/wrangler.toml`, declared: true };
    const v = await backend.uploadVersion(target, { bindings: [], message: HOSTILE });
    await backend.deploy(target, { versions: [{ versionId: v.id, percentage: 100 }], message: HOSTILE });
    await backend.close?.();

    for (const argv of [['versions', 'list'], ['versions', 'view', '2'], ['deployments', 'list'], ['deployments', 'status']]) {
      const r = await p.run(argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      const out = r.stdout + r.stderr;
      expect(out, argv.join(' ')).not.toMatch(ACTS);
      expect(out, argv.join(' ')).not.toContain(ESC);
      expect(out, argv.join(' ')).toContain('ok\\x1b[2J\\x1b]0;pwned\\x07');
      // One line per row: the newline in the message is shown, so no line starts with the forged text.
      expect(out.split('\n').some((l) => l.startsWith('Traffic 100%')), argv.join(' ')).toBe(false);
      expect(out).not.toContain('terminal-safe-value');
    }
    const list = await p.run(['versions', 'list']);
    expect(list.stdout).toContain('mallory\\x1b[8m');
    // JSON keeps what is stored.
    const json = await p.run(['versions', 'list', '--json']);
    expect(JSON.parse(json.stdout).versions[0].message).toBe(HOSTILE);
    expect(put.stdout + put.stderr).not.toContain('terminal-safe-value');
  });

  it('refuses -m with a control character (exit 2) before anything is written', async () => {
    const p = makeProject();
    for (const [argv, stdin] of [
      [['secret', 'put', 'API_KEY', '-m', `rotate${ESC}[2J`], 'terminal-safe-value'],
      [['versions', 'upload', '--message', 'two\nlines'], undefined],
      [['secret', 'put', 'API_KEY', '-m', 'tab\there'], 'terminal-safe-value'],
    ] as const) {
      const r = await p.run([...argv], { stdin });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--message holds a control character/);
      expect(r.stdout + r.stderr).not.toContain('terminal-safe-value');
      expect(r.stderr).not.toContain(ESC);
    }
    const list = await p.run(['versions', 'list', '--json']);
    expect(JSON.parse(list.stdout).versions ?? []).toEqual([]);
  });
});
