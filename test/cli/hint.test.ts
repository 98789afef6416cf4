/**
 * The commands mycli prints for the user to run carry the target they were printed for
 * (src/cli/hint.ts): copied as written, they act on the same Worker, env, config and backend.
 */
import { describe, expect, it } from 'vitest';
import { commandHint, shellWord, withTarget } from '../../src/cli/hint.js';
import { makeProject } from '../helpers/cli.js';
import { put } from '../helpers/scenarios.js';

describe('commandHint', () => {
  it('adds the flags that were given, in a fixed order, quoted for the shell', () => {
    expect(commandHint({}, 'secret list')).toBe('mycli secret list');
    expect(commandHint({ env: 'staging' }, 'secret list')).toBe('mycli secret list --env staging');
    expect(commandHint({ env: 'staging', config: 'my dir/wrangler.toml', name: "o'k", backend: './b.mjs' }, 'versions list')).toBe(
      `mycli versions list --env staging -c 'my dir/wrangler.toml' --name 'o'\\''k' --backend ./b.mjs`,
    );
  });

  it('does not repeat a flag the command already has, and adds none to help', () => {
    expect(commandHint({ env: 'staging' }, 'secret list -e prod')).toBe('mycli secret list -e prod');
    expect(commandHint({ config: 'a.toml' }, 'secret list --config=b.toml')).toBe('mycli secret list --config=b.toml');
    expect(commandHint({ env: 'staging' }, '--help')).toBe('mycli --help');
    expect(commandHint({ env: 'staging' }, 'secret put --help')).toBe('mycli secret put --help');
  });

  it('withTarget completes only the backticked mycli commands of a text', () => {
    const t = { env: 'staging' };
    expect(withTarget('see the names with `mycli secret list`, or mycli docs', t)).toBe(
      'see the names with `mycli secret list --env staging`, or mycli docs',
    );
    expect(withTarget('see `mycli secret list`', {})).toBe('see `mycli secret list`');
    expect(shellWord('')).toBe("''");
  });
});

describe('hints printed by commands', () => {
  it('a hint written by the backend names the target: secret delete NOPE --env staging', async () => {
    const p = makeProject();
    await put(p, 'STAGED', 'staging-s3cret-value', ['--env', 'staging']);
    const r = await p.run(['secret', 'delete', 'NOPE', '--env', 'staging', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/`mycli secret list --env staging`/);
    const j = await p.run(['secret', 'delete', 'NOPE', '--env', 'staging', '--yes', '--json']);
    expect(j.json().error.hint).toMatch(/`mycli secret list --env staging`/);
    expect(r.all + j.all).not.toContain('staging-s3cret');
  });
});
