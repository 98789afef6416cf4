/**
 * A plugin written in a folder of its own, as the README's "Writing a backend" shows: its first
 * line imports `mycli/backend`, and that folder has no node_modules. The built binary must load
 * it (lending it its own mycli/backend), and its typed errors keep their exit codes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProject } from './helpers.js';

const PLUGIN = `
import { defineBackend, NotFoundError, UsageError } from 'mycli/backend';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('./names.json', import.meta.url);
const load = () => (existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : []);

export default defineBackend(() => ({
  name: 'outside',
  capabilities: { secrets: true, versions: false, gradualDeployments: false, rollback: false, versionedSecrets: false },
  async listSecrets() {
    return load().map((name) => ({ name, type: 'secret_text' }));
  },
  async updateSecrets(_t, patch) {
    const names = new Set(load());
    const changes = [];
    for (const [name, value] of Object.entries(patch)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('bad name ' + name);
      if (value === null) {
        if (!names.has(name)) throw new NotFoundError('secret ' + name + ' is not in the outside store');
        names.delete(name);
        changes.push({ name, action: 'deleted' });
      } else {
        changes.push({ name, action: names.has(name) ? 'updated' : 'added' });
        names.add(name); // the value is not kept: this store only remembers names
      }
    }
    writeFileSync(FILE, JSON.stringify([...names]));
    return { changes };
  },
}));
`;

describe('a plugin outside any package that has mycli installed', () => {
  it("imports mycli/backend from the running mycli: it loads, works, and its NotFoundError is exit 3", async () => {
    const p = makeTempProject();
    const dir = join(p.root, 'my-plugin');
    mkdirSync(dir);
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(plugin, PLUGIN);
    const VALUE = 'outside-plugin-value-5e1f';

    const put = await p.run(['--backend', plugin, 'secret', 'put', 'API_KEY'], { input: VALUE });
    expect(put.stderr).not.toMatch(/Cannot find package/);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toContain('secret API_KEY added');

    const list = await p.run(['--backend', plugin, 'secret', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json().secrets).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);

    const missing = await p.run(['--backend', plugin, 'secret', 'delete', 'NOPE', '--yes']);
    expect(missing.code, missing.stderr).toBe(3);
    expect(missing.stderr).toContain('secret NOPE is not in the outside store');

    for (const r of [put, list, missing]) expect(r.all).not.toContain('outside-plugin-value');
  });
});
