/**
 * Commands on a backend injected into main() (`MainDeps.backend`): what a user sees from secret
 * put / list / delete / bulk, with the data in memory — no local store is opened or created.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';
import { memoryBackend } from '../helpers/memory-backend.js';
import type { Target } from '../../src/backends/types.js';

const top = { worker: 'my-worker' };

function setup() {
  const p = makeProject();
  const backend = memoryBackend();
  const files = () => readdirSync(p.dir).sort();
  return { p, backend, files, before: files() };
}

describe('an injected backend', () => {
  it('secret put from a pipe stores the value there, says what changed, and never prints the value', async () => {
    const { p, backend, files, before } = setup();
    const VALUE = 'injected-s3cret-value-41c2';
    const r = await p.run(['secret', 'put', 'API_KEY'], { stdin: VALUE, backend });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Putting secret API_KEY on Worker my-worker · env \(top level\) · backend memory/);
    expect(r.stderr).toMatch(/secret API_KEY added/);
    expect(backend.secretsOf(top)).toEqual({ API_KEY: VALUE });
    expect(r.all).not.toContain(VALUE);
    // Nothing on disk: no local store was opened or created.
    expect(files()).toEqual(before);
    expect(existsSync(join(p.dir, '.mycli'))).toBe(false);
  });

  it('secret list shows names, sorted; --json is the target and the names', async () => {
    const { p, backend } = setup();
    await p.run(['secret', 'put', 'ZETA'], { stdin: 'zeta-s3cret', backend });
    await p.run(['secret', 'put', 'ALPHA'], { stdin: 'alpha-s3cret', backend });
    const r = await p.run(['secret', 'list'], { backend });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'ALPHA', 'ZETA']);
    const j = await p.run(['secret', 'list', '--json'], { backend });
    expect(j.json()).toEqual({
      worker: 'my-worker',
      env: null,
      backend: 'memory',
      secrets: [
        { name: 'ALPHA', type: 'secret_text' },
        { name: 'ZETA', type: 'secret_text' },
      ],
    });
    expect(r.all + j.all).not.toMatch(/zeta-s3cret|alpha-s3cret/);
  });

  it('secret delete asks for --yes when not interactive (nothing changed), then deletes', async () => {
    const { p, backend } = setup();
    await p.run(['secret', 'put', 'OLD_TOKEN'], { stdin: 'old-s3cret', backend });
    const refused = await p.run(['secret', 'delete', 'OLD_TOKEN'], { backend });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hint:.*--yes/);
    expect(backend.secretsOf(top)).toEqual({ OLD_TOKEN: 'old-s3cret' });
    const r = await p.run(['secret', 'delete', 'OLD_TOKEN', '--yes', '--json'], { backend });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().secret).toEqual({ name: 'OLD_TOKEN', action: 'deleted' });
    expect(backend.secretsOf(top)).toEqual({});
    const missing = await p.run(['secret', 'delete', 'OLD_TOKEN', '--yes'], { backend });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/secret "OLD_TOKEN" does not exist/);
    expect(refused.all + r.all + missing.all).not.toContain('old-s3cret');
  });

  it('secret bulk applies a JSON object from stdin as one change', async () => {
    const { p, backend } = setup();
    await p.run(['secret', 'put', 'GONE'], { stdin: 'gone-s3cret', backend });
    const r = await p.run(['secret', 'bulk', '--yes'], { stdin: '{"A": "a-s3cret", "B": "b-s3cret", "GONE": null}', backend });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 added, 0 updated, 1 deleted/);
    expect(backend.secretsOf(top)).toEqual({ A: 'a-s3cret', B: 'b-s3cret' });
    expect(r.all).not.toMatch(/a-s3cret|b-s3cret|gone-s3cret/);
  });

  it('a factory gets the Target of the command (--env picks the environment\'s Worker)', async () => {
    const { p, backend } = setup();
    const seen: Target[] = [];
    const factory = (t: Target) => {
      seen.push(t);
      return backend;
    };
    const r = await p.run(['secret', 'put', 'STAGED', '--env', 'staging'], { stdin: 'staged-s3cret', backend: factory });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.map((t) => [t.worker, t.env, t.projectDir])).toEqual([['my-worker-staging', 'staging', p.dir]]);
    expect(backend.secretsOf({ worker: 'my-worker-staging', env: 'staging' })).toEqual({ STAGED: 'staged-s3cret' });
    expect(backend.secretsOf(top)).toEqual({});
    expect(r.all).not.toContain('staged-s3cret');
  });

  it('its capabilities still decide: versions on a secrets-only backend is exit 2', async () => {
    const { p, backend } = setup();
    const r = await p.run(['versions', 'list'], { backend });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the memory backend does not support versions/);
  });
});
