/**
 * Shell completion with the built binary: each script is valid for its shell (where the shell is
 * on the machine), and in a REAL interactive bash on a pseudo-terminal, `mycli secret delete
 * <TAB><TAB>` lists the secret names of a real local store.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, makeTempProject, runBin } from './helpers.js';
import { loadRecorder, MARKERS } from '../helpers/loaded.js';
import { hasPython, runCommandInPty } from './pty.js';

const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

// Syntax checks, each run where its shell exists. bash is on every machine of this project; zsh,
// fish and PowerShell (pwsh) usually are not, so those checks are skipped there, saying so.
const SHELLS = [
  { shell: 'bash', present: has('bash', ['--version']), check: (file: string) => spawnSync('bash', ['-n', file], { encoding: 'utf8' }) },
  { shell: 'zsh', present: has('zsh', ['--version']), check: (file: string) => spawnSync('zsh', ['-n', file], { encoding: 'utf8' }) },
  { shell: 'fish', present: has('fish', ['--version']), check: (file: string) => spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' }) },
  {
    shell: 'powershell',
    present: has('pwsh', ['-NoProfile', '-Command', 'exit 0']),
    check: (file: string) =>
      spawnSync('pwsh', ['-NoProfile', '-Command', `$e = $null; [System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$e) | Out-Null; if ($e.Count) { $e; exit 1 }`], { encoding: 'utf8' }),
  },
];

describe('mycli complete <shell> (built binary)', { timeout: 120_000 }, () => {
  for (const { shell, present, check } of SHELLS) {
    it.skipIf(!present)(`the ${shell} script is valid ${shell} (skipped when ${shell} is not installed on this machine)`, async () => {
      const p = makeTempProject();
      const r = await p.run(['complete', shell]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const file = join(p.root, `mycli.${shell}`);
      writeFileSync(file, r.stdout);
      const res = check(file);
      expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
    });
  }

  it('its engine and scripts load only for `mycli complete` (the start-up test checks that other commands do not load them)', async () => {
    const p = makeTempProject();
    for (const [args, marker] of [
      [['complete', '--words', '--', 'secret', ''], MARKERS.completion],
      [['complete', 'bash'], MARKERS.completionScripts],
    ] as const) {
      const rec = loadRecorder();
      try {
        const r = await runBin([...args], { cwd: p.dir, env: p.env, nodeArgs: rec.nodeArgs });
        expect(r.code, r.stderr).toBe(0);
        expect(rec.loaded(marker), args.join(' ')).toBe(true);
        expect(rec.loaded(MARKERS.serve)).toBe(false);
      } finally {
        rec.cleanup();
      }
    }
  });

  it('candidates end to end, and errors stay silent (exit 0, nothing on stderr)', async () => {
    const p = makeTempProject({ toml: 'name = "w"\n[env.staging]\n[env.production]\n' });
    const r = await p.run(['complete', '--words', '--', '--env', '']);
    expect(r).toMatchObject({ code: 0, stdout: 'staging\nproduction\n', stderr: '' });
    const bad = await p.run(['complete', '--words', '--', '-c', 'nosuch.toml', 'secret', 'delete', '']);
    expect(bad).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await p.run(['complete', 'tcsh'])).code).toBe(2);
  });
});

// The interactive test needs python3's pty module (the driver of the other pty tests) and bash.
describe.skipIf(!hasPython || !SHELLS[0].present)('completion in a real interactive bash', { timeout: 180_000 }, () => {
  it('`mycli secret del<TAB>` completes the command; `mycli secret delete <TAB><TAB>` lists both secret names, no value', async () => {
    const p = makeTempProject();
    const values = { API_KEY: 'v4lue-typed-n0where-1', DB_URL: 'v4lue-typed-n0where-2' };
    for (const [name, value] of Object.entries(values)) expect((await p.run(['secret', 'put', name], { input: value })).code).toBe(0);
    // `mycli` on PATH, as after `npm install -g`.
    const bin = join(p.root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mycli'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(bin, 'mycli'), 0o755);
    // A known prompt to wait for, and no bell or bracketed-paste codes in the output.
    const rc = join(p.root, 'bashrc');
    writeFileSync(rc, "PS1='READY> '\nbind 'set bell-style none'\nbind 'set enable-bracketed-paste off'\n");
    const r = await runCommandInPty(
      p,
      ['bash', '--noprofile', '--rcfile', rc, '-i'],
      [
        { expect: 'READY> ' },
        { send: 'source <(mycli complete bash)\r' },
        { expect: 'READY> ' },
        { send: 'mycli secret del\t' },
        { expect: 'secret delete ' },
        { send: '\t\t' },
        { expect: 'API_KEY' },
        { expect: 'DB_URL' },
        { expect: 'READY> ' }, // the prompt is drawn again below the list
        { send: 'D\t' },
        { expect: 'B_URL' }, // the line now reads `mycli secret delete DB_URL`
        { send: '\x15exit\r' },
      ],
      { PATH: `${bin}:${process.env.PATH}`, HISTFILE: '/dev/null' },
    );
    expect(r.failedExpect, r.output).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.exit).toBe(0);
    for (const v of Object.values(values)) expect(r.output).not.toContain(v);
  });
});
