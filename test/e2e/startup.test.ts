/**
 * "Nothing heavy imported at startup": the everyday commands on the local backend load none of
 * the HTTP client, zod, the prompt library, the plugin loader or the server. (Their time and
 * memory against `node -e 0` are measured by `npm run bench`, not asserted here.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRecorder, loadRecorder, MARKERS, UNUSED_LOCALLY, type LoadRecorder } from '../helpers/loaded.js';
import { makeTempProject, runBin } from './helpers.js';

const recorders: { cleanup(): void }[] = [];
afterEach(() => {
  for (const r of recorders.splice(0)) r.cleanup();
});

function recorder(): LoadRecorder {
  const r = loadRecorder();
  recorders.push(r);
  return r;
}

describe('start-up loads only what the command needs', () => {
  it.each([
    ['secret list', ['secret', 'list'], undefined],
    ['secret put (piped)', ['secret', 'put', 'STARTUP_KEY'], 'startup-value\n'],
    ['--version', ['--version'], undefined],
  ])('%s: no undici, zod, prompts, plugin loader, server or cloudflare code', async (_label, args, input) => {
    const p = makeTempProject();
    const rec = recorder();
    const r = await runBin(args, { cwd: p.dir, env: p.env, input, nodeArgs: rec.nodeArgs });
    expect(r.code, r.stderr).toBe(0);
    for (const [name, marker] of Object.entries(MARKERS)) expect(rec.loaded(marker), `${name} was loaded`).toBe(false);
    if (input) expect(r.all).not.toContain('startup-value');
  });

  it.each([
    ['secret list', ['secret', 'list'], undefined],
    ['secret put (piped)', ['secret', 'put', 'STARTUP_KEY'], 'startup-value\n'],
    ['secret delete --yes', ['secret', 'delete', 'STARTUP_KEY', '--yes'], undefined],
    ['versions list', ['versions', 'list'], undefined],
    ['deployments status', ['deployments', 'status'], undefined],
  ])('%s on local: none of the Node built-ins it does not use (subprocesses, sockets, HTTP, prompts)', async (_label, args, input) => {
    const p = makeTempProject();
    const put = await runBin(['secret', 'put', 'STARTUP_KEY'], { cwd: p.dir, env: p.env, input: 'startup-value\n' });
    expect(put.code, put.stderr).toBe(0);
    const rec = builtinRecorder();
    recorders.push(rec);
    const r = await runBin(args, { cwd: p.dir, env: p.env, input, nodeArgs: rec.nodeArgs });
    expect(r.code, r.stderr).toBe(0);
    const builtins = rec.builtins();
    expect(builtins, 'the recorder saw the built-ins').toContain('fs');
    expect(builtins.filter((m) => (UNUSED_LOCALLY as readonly string[]).includes(m))).toEqual([]);
    expect(r.all).not.toContain('startup-value');
  });

  // The build makes the core one file (main.js: the program, every declaration, the local
  // backend's reads) and each run, backend part and package loaded with `await import()` one file
  // in chunks/. A command that loads another command's run, or a part it does not use, fails here.
  it.each([
    ['secret list', ['secret', 'list'], undefined, ['chunks/commands-secret-list.run.js']],
    ['secret put (piped)', ['secret', 'put', 'STARTUP_KEY'], 'startup-value\n', ['chunks/commands-secret-put.run.js', 'chunks/io-stdin.js', 'chunks/backends-local-durable.js', 'chunks/backends-local-lock.js']],
    ['secret delete --yes', ['secret', 'delete', 'STARTUP_KEY', '--yes'], undefined, ['chunks/commands-secret-delete.run.js', 'chunks/backends-local-durable.js', 'chunks/backends-local-lock.js']],
    ['versions list', ['versions', 'list'], undefined, ['chunks/commands-versions-list.run.js']],
    ['deployments status', ['deployments', 'status'], undefined, ['chunks/commands-deployments-status.run.js']],
    ['--version', ['--version'], undefined, []],
  ])('%s on local loads the core and its own run, no other command or part of mycli', async (_label, args, input, parts) => {
    const p = makeTempProject();
    const put = await runBin(['secret', 'put', 'STARTUP_KEY'], { cwd: p.dir, env: p.env, input: 'startup-value\n' });
    expect(put.code, put.stderr).toBe(0);
    const rec = recorder();
    const r = await runBin(args, { cwd: p.dir, env: p.env, input, nodeArgs: rec.nodeArgs });
    expect(r.code, r.stderr).toBe(0);
    const core = args[0] === '--version' ? ['cli.js', 'exit.js'] : ['cli.js', 'exit.js', 'main.js'];
    expect(rec.distFiles().sort()).toEqual([...core, ...parts].sort());
    expect(r.all).not.toContain('startup-value');
  });

  it('a plugin backend loads the plugin loader (and only then)', async () => {
    const p = makeTempProject();
    const rec = recorder();
    const plugin = new URL('../../examples/dev-vars-backend/index.mjs', import.meta.url).pathname;
    const r = await runBin(['secret', 'list', '--backend', plugin], { cwd: p.dir, env: p.env, nodeArgs: rec.nodeArgs });
    expect(r.code, r.stderr).toBe(0);
    expect(rec.loaded(MARKERS.plugin)).toBe(true);
    expect(rec.loaded(MARKERS.undici)).toBe(false);
  });
});
