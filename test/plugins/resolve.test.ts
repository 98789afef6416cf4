/**
 * A plugin outside mycli's own folder (a project with no mycli in its node_modules, as with a
 * global install or npx) imports `mycli/backend`: it resolves to the running mycli. A package
 * the plugin needs but that is missing gets a hint naming the package and the folder.
 * Runs the built binary (bin/mycli.js) from a temp folder outside the repository.
 */
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProject, REPO } from '../e2e/helpers.js';

const MEMORY_PLUGIN = `import { BACKEND_API_VERSION, defineBackend, NotFoundError } from 'mycli/backend';
const store = new Map();
export default defineBackend(() => ({
  name: 'outside-memory',
  apiVersion: BACKEND_API_VERSION,
  capabilities: { secrets: true },
  async listSecrets() { return [...store.keys()].map((name) => ({ name, type: 'secret_text' })); },
  async updateSecrets(t, patch) {
    const changes = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) { if (!store.delete(k)) throw new NotFoundError('no secret ' + k); changes.push({ name: k, action: 'deleted' }); }
      else { changes.push({ name: k, action: store.has(k) ? 'updated' : 'added' }); store.set(k, v); }
    }
    return { changes };
  },
}));
`;

describe('plugins resolve mycli/backend from the running mycli', () => {
  it('a plugin in a project without mycli installed loads, and its typed errors keep their exit codes', async () => {
    const p = makeTempProject();
    mkdirSync(join(p.dir, 'backends'));
    writeFileSync(join(p.dir, 'backends', 'memory.mjs'), MEMORY_PLUGIN);
    const put = await p.run(['secret', 'put', 'API_KEY', '--backend', './backends/memory.mjs'], { input: 'outside-value-1\n' });
    expect(put.stderr).not.toMatch(/Cannot find package/);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toMatch(/backend outside-memory/);
    const del = await p.run(['secret', 'delete', 'MISSING', '--yes', '--backend', './backends/memory.mjs']);
    expect(del.code, del.stderr).toBe(3); // NotFoundError from mycli/backend, recognised
    expect(put.all + del.all).not.toContain('outside-value-1');
  });

  it("the example dev-vars plugin: a missing `dotenv` is named with the folder to install it in; once there, it works", async () => {
    const p = makeTempProject();
    mkdirSync(join(p.dir, 'backends'));
    copyFileSync(join(REPO, 'examples', 'dev-vars-backend', 'index.mjs'), join(p.dir, 'backends', 'dev-vars.mjs'));
    writeFileSync(join(p.dir, 'package.json'), '{ "name": "my-worker", "private": true }\n');
    const missing = await p.run(['secret', 'put', 'TOKEN', '--backend', './backends/dev-vars.mjs'], { input: 'dev-vars-value-1\n' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/needs the package "dotenv"/);
    expect(missing.stderr).toContain(`cd ${p.dir} && npm install dotenv`);
    expect(missing.stderr).not.toMatch(/fix the module/);

    // "npm install dotenv" in that folder (here: the repository's copy, linked; no network).
    mkdirSync(join(p.dir, 'node_modules'));
    symlinkSync(join(REPO, 'node_modules', 'dotenv'), join(p.dir, 'node_modules', 'dotenv'));
    const put = await p.run(['secret', 'put', 'TOKEN', '--backend', './backends/dev-vars.mjs'], { input: 'dev-vars-value-1\n' });
    expect(put.code, put.stderr).toBe(0);
    const list = await p.run(['secret', 'list', '--json', '--backend', './backends/dev-vars.mjs']);
    expect(list.json().secrets).toEqual([{ name: 'TOKEN', type: 'secret_text' }]);
    expect(missing.all + put.all + list.all).not.toContain('dev-vars-value-1');
  });
});
