/**
 * mycli types: write `worker-configuration.d.ts` (the `Env` interface of the Worker) in the shape
 * `wrangler types --include-runtime=false` writes, from the truth: [vars] of every environment,
 * the secret names of each environment (`[secrets] required` when the config has it, as wrangler;
 * else the names the backend holds for the environment's Worker; .dev.vars / .env only with
 * --offline), Secrets Store and the other bindings of the config.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve } from 'node:path';
import type { RunOf } from '../cli/define-command.js';
import { DEFAULT_OUT, type command } from './types.js';
import { ConfigError, NotFoundError, OperationError, UsageError } from '../errors.js';
import { envSection, readRawConfig, type RawSection } from '../config/raw.js';
import { generateTypes, TOP_LEVEL, type TypegenEnv } from '../typegen/generate.js';
import { describeStaleness } from '../typegen/stale.js';




/** Secret names wrangler would guess: .dev.vars(.<env>) first, else .env(.<env>). */
async function localSecretNames(dir: string, env: string | null): Promise<{ names: string[]; file?: string }> {
  const dotenv = (await import('dotenv')) as typeof import('dotenv') & { default?: typeof import('dotenv') };
  const parse = dotenv.parse ?? dotenv.default!.parse;
  const read = async (name: string) => (existsSync(resolve(dir, name)) ? Object.keys(parse(await readFile(resolve(dir, name), 'utf8'))) : undefined);
  for (const name of env ? [`.dev.vars.${env}`, '.dev.vars'] : ['.dev.vars']) {
    const found = await read(name);
    if (found) return { names: found, file: name };
  }
  const base = (await read('.env')) ?? [];
  const specific = env ? ((await read(`.env.${env}`)) ?? []) : [];
  const names = [...new Set([...base, ...specific])];
  return { names, file: names.length ? '.env' : undefined };
}

export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  const project = await ctx.project();
  if (!project.configPath) {
    throw new ConfigError('mycli types needs a config file (wrangler.toml / wrangler.json)', { hint: 'run it in your project folder, or pass --config <path>' });
  }
  const raw = await readRawConfig(project.configPath);
  const envNames = Object.keys((raw.env as Record<string, RawSection> | undefined) ?? {});
  const single = ctx.globals.env !== undefined || envNames.length === 0;
  const chosen: (string | null)[] = ctx.globals.env !== undefined ? [ctx.globals.env] : [TOP_LEVEL, ...envNames];
  const workerOf = (env: string | null): string => {
    if (env === null) return project.worker;
    if (env === ctx.globals.env) return project.worker;
    const s = envSection(raw, env);
    return (s.name as string | undefined) ?? `${raw.name as string}-${env}`;
  };

  // Secret names: `[secrets] required` of the environment when the config has it (as wrangler
  // does); else the backend's names. A backend that cannot be asked (no credentials,
  // unreachable) fails the command as any backend command does: guessing from .dev.vars would
  // write a file that looks right and erases every secret type. That guess is only for --offline.
  const secrets = new Map<string | null, string[]>();
  const sources: string[] = [];
  const requiredOf = (env: string | null): string[] | undefined => {
    const r = (envSection(raw, env ?? undefined).secrets as { required?: unknown } | undefined)?.required;
    return Array.isArray(r) ? (r as string[]) : undefined;
  };
  const fromBackend: (string | null)[] = [];
  for (const env of chosen) {
    const required = requiredOf(env);
    if (required) secrets.set(env, required);
    else fromBackend.push(env);
  }
  if (fromBackend.length < chosen.length) sources.push('[secrets] required');
  if (fromBackend.length && o.offline) {
    const files = new Set<string>();
    for (const env of fromBackend) {
      const found = await localSecretNames(project.projectDir, env);
      secrets.set(env, found.names);
      if (found.file) files.add(found.file);
    }
    sources.push(files.size ? [...files].join(', ') : 'no .dev.vars or .env file (no secrets)');
    ctx.out.note(`secret names taken from ${sources.at(-1)}, not from the backend: --offline`);
  } else if (fromBackend.length) {
    const backend = await ctx.backendWith('secrets');
    const base = await ctx.target();
    await Promise.all(
      fromBackend.map(async (env) => {
        const target = { ...base, worker: workerOf(env), env: env ?? undefined, declared: true };
        try {
          secrets.set(env, (await backend.listSecrets(target)).map((s) => s.name));
        } catch (e) {
          if (e instanceof NotFoundError) secrets.set(env, []); // not created yet: no secrets
          else throw e;
        }
      }),
    );
    sources.push(`the ${backend.name} backend`);
  }
  const source = sources.join(' and ');

  const outPath = o.out ? resolve(ctx.io.cwd, o.out) : resolve(project.projectDir, DEFAULT_OUT);
  const mainRaw = raw.main as string | undefined;
  let mainModule: string | undefined;
  if (mainRaw) {
    const file = resolve(project.projectDir, mainRaw);
    let rel = relative(dirname(outPath), dirname(file)).replace(/\\/g, '/');
    const base = file.split(/[\\/]/).pop()!.slice(0, -extname(file).length || undefined);
    rel = !rel ? `./${base}` : rel.startsWith('..') ? `${rel}/${base}` : `./${rel}/${base}`;
    mainModule = rel;
  }
  const migrations = Array.isArray(raw.migrations) ? (raw.migrations as Record<string, unknown>[]) : [];
  const sqliteClasses = migrations.flatMap((m) => (Array.isArray(m.new_sqlite_classes) ? (m.new_sqlite_classes as string[]) : []));
  const envs: TypegenEnv[] = chosen.map((env) => ({ name: single ? null : env, section: envSection(raw, env ?? undefined), secrets: secrets.get(env) ?? [] }));
  const input = {
    envs,
    single,
    mainModule,
    compatibilityDate: raw.compatibility_date instanceof Date ? raw.compatibility_date.toISOString().slice(0, 10) : (raw.compatibility_date as string | undefined),
    compatibilityFlags: Array.isArray(raw.compatibility_flags) ? (raw.compatibility_flags as string[]) : [],
    sqliteClasses,
  };
  const body = generateTypes(input);
  const hash = createHash('sha256').update(JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex').slice(0, 32);
  // The command that made the file, with every target flag given (--env, -c, --name, --backend).
  const command = ctx.command('types');
  const content = `/* eslint-disable */\n// Generated by mycli by running \`${command}\` (hash: ${hash})\n${body}`;
  const shown = relative(ctx.io.cwd, outPath) || outPath;
  const secretCount = [...secrets.values()].reduce((n, s) => n + s.length, 0);

  if (o.check) {
    const existing = existsSync(outPath) ? await readFile(outPath, 'utf8') : undefined;
    if (existing === content) {
      ctx.out.success(`${shown} is up to date (hash ${hash})`);
      ctx.out.document({ path: outPath, upToDate: true, hash, secretsFrom: source });
      return;
    }
    const reasons = existing === undefined ? [`${shown} does not exist`] : describeStaleness(existing, content);
    throw new OperationError(`${shown} is stale:\n${reasons.map((r) => `  ${r}`).join('\n')}`, { hint: `run \`${command}${o.out ? ` --out ${o.out}` : ''}\` and commit the file` });
  }
  if (ctx.out.json) {
    ctx.out.document({ path: outPath, hash, secretsFrom: source, written: false, content });
    return;
  }
  const { writeAtomic } = await import('../backends/local/durable.js');
  try {
    await writeAtomic(outPath, content, 0o644);
  } catch (e) {
    throw writeError(e, shown, outPath);
  }
  ctx.out.success(`wrote ${shown} (${secretCount} secret name${secretCount === 1 ? '' : 's'} from ${source}; hash ${hash})`);
};

/** A failed write of the types file, in words: a missing folder or a folder as --out is a usage error. */
function writeError(e: unknown, shown: string, outPath: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UsageError(`cannot write ${shown}: the folder ${dirname(outPath)} does not exist`, { hint: 'create the folder first, or choose another --out' });
  }
  if (code === 'EISDIR') return new UsageError(`cannot write ${shown}: it is a folder`, { hint: 'give --out a file path, for example worker-configuration.d.ts' });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new OperationError(`cannot write ${shown} (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`, { hint: 'check the permissions of the file and its folder, or choose another --out' });
  }
  return e as Error;
}
