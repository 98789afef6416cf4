// A mycli backend plugin that keeps a Worker's secrets in the project's `.dev.vars` file — the
// dotenv file that `wrangler dev` reads for local development (`.dev.vars.<env>` with --env).
//
// Written only against mycli's public plugin API (`mycli/backend`). Capabilities: secrets only,
// so versions, deployments and rollback commands refuse with a clear usage error.
//
//   mycli --backend ./examples/dev-vars-backend/index.mjs secret put API_KEY
//   mycli backend check ./examples/dev-vars-backend/index.mjs
//
// The file is plain text by design (wrangler reads it as is): it is written with mode 0600,
// atomically (temp file + rename), and must stay out of git (wrangler's templates ignore it).
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { BACKEND_API_VERSION, defineBackend, NotFoundError, OperationError, UsageError } from 'mycli/backend';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export default defineBackend(({ options }) => {
  const fileFor = (target) => {
    const base = typeof options.file === 'string' ? options.file : '.dev.vars';
    return join(target.projectDir, target.env ? `${base}.${target.env}` : base);
  };

  async function read(target) {
    const file = fileFor(target);
    try {
      return parse(await readFile(file, 'utf8'));
    } catch (e) {
      if (e.code === 'ENOENT') return {};
      throw new OperationError(`cannot read ${file} (${e.code ?? e.message})`);
    }
  }

  async function write(target, vars) {
    const file = fileFor(target);
    const text = Object.entries(vars)
      .map(([k, v]) => `${k}=${quote(k, v)}\n`)
      .join('');
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, file);
      await chmod(file, 0o600);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new OperationError(`cannot write ${file} (${e.code ?? e.message})`);
    }
  }

  return {
    name: 'dev-vars',
    apiVersion: BACKEND_API_VERSION,
    capabilities: { secrets: true, versions: false, gradualDeployments: false, rollback: false, versionedSecrets: false },
    describe: (target) => fileFor(target),

    async listSecrets(target) {
      const vars = await read(target);
      return Object.keys(vars)
        .sort()
        .map((name) => ({ name, type: 'secret_text' }));
    },

    async updateSecrets(target, patch) {
      const vars = await read(target);
      const changes = [];
      // Check everything first: all of the patch, or nothing.
      for (const [name, value] of Object.entries(patch)) {
        if (!NAME.test(name)) throw new UsageError(`"${name}" is not a valid secret name`, { hint: 'use letters, digits and _' });
        if (value === null && !(name in vars)) {
          throw new NotFoundError(`secret "${name}" is not in ${fileFor(target)}`);
        }
        if (value !== null) quote(name, value);
      }
      for (const [name, value] of Object.entries(patch)) {
        if (value === null) {
          delete vars[name];
          changes.push({ name, action: 'deleted' });
        } else {
          changes.push({ name, action: name in vars ? 'updated' : 'added' });
          vars[name] = value;
        }
      }
      await write(target, vars);
      return { changes };
    },

    // Optional: which of these values differ from the file's (for `mycli secret sync`'s plan).
    // The values are compared here and only names are returned, never a value.
    async differentSecrets(target, values) {
      const vars = await read(target);
      return Object.keys(values).filter((name) => vars[name] !== values[name]);
    },

    async deleteWorker(target) {
      await rm(fileFor(target), { force: true });
    },
  };
});

/**
 * Quote a value so that dotenv (and so wrangler) reads back exactly the same bytes: single
 * quotes are literal, then backticks, then double quotes (which expand \n). Refuse otherwise.
 */
function quote(name, value) {
  for (const q of ["'", '`', '"']) {
    if (value.includes(q)) continue;
    const line = `${name}=${q}${value}${q}`;
    if (parse(line)[name] === value) return `${q}${value}${q}`;
  }
  throw new UsageError(`the value of ${name} cannot be written to .dev.vars exactly (it mixes all three quote characters)`, {
    hint: 'store it with another backend',
  });
}
