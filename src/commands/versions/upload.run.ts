/**
 * mycli versions upload: a new version from the project (main module identity, [vars], the
 * latest version's secrets). Not deployed. Prints the new version id on stdout.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './upload.js';
import type { Binding, Target, Version } from '../../backends/types.js';
import type { BackendWith } from '../../backends/capabilities.js';
import { ConfigError, NotFoundError, OperationError, UsageError } from '../../errors.js';
import { projectSecretsStoreBindings, secretsStoreVersionBindings } from '../../config/raw.js';
import { assertSecretValues } from '../../backends/limits.js';
import { diffVersions } from '../../domain/versions.js';
import { secretNamesOf, uploadSecrets, type UploadSecrets } from '../../domain/secrets.js';
import { readSecretsFile } from '../secret/secrets-file.js';
import { checkRequiredSecrets } from './required.js';
import { previewJson, printChanges, type Preview } from './preview.js';



/** Bindings for `[vars]`: strings are plain_text, anything else json. */
export function varsToBindings(vars: Record<string, unknown>): Binding[] {
  return Object.entries(vars).map(([name, value]) =>
    typeof value === 'string' ? { type: 'plain_text', name, text: value } : { type: 'json', name, json: value },
  );
}

/** Relative imports mean the module is not bundled: it would not run on its own. */
export function relativeImports(source: string): string[] {
  const found = new Set<string>();
  const re = /(?:^|[;\s])(?:import|export)\s[^'"`]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|[;\s])import\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;
  for (const m of source.matchAll(re)) found.add(m[1] ?? m[2] ?? m[3]);
  return [...found];
}

export interface UploadOptions {
  message?: string;
  tag?: string;
  secretsFile?: string;
  prune?: boolean;
  dryRun?: boolean;
  forceMissingSecrets?: boolean;
}

/** The latest version, whole (lists may lack bindings); none for a Worker with no versions yet. */
async function latestVersion(backend: BackendWith<'versions'>, target: Target): Promise<Version | undefined> {
  try {
    const [newest] = await backend.listVersions(target, { limit: 1 });
    return newest && (newest.bindings.length ? newest : await backend.getVersion(target, newest.id));
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

export const run: RunOf<typeof command> = async (ctx, _args, o) => {
  if (o.message !== undefined && o.message.length > 100) {
    throw new UsageError(`--message is ${o.message.length} characters; the limit is 100`);
  }
  if (o.tag !== undefined && o.tag.length > 100) throw new UsageError(`--tag is ${o.tag.length} characters; the limit is 100`);
  if (o.prune && o.secretsFile === undefined) {
    throw new UsageError('--prune goes with --secrets-file', { hint: 'give the file of the secrets the version keeps: `mycli versions upload --secrets-file FILE --prune`' });
  }
  const project = await ctx.project();
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  if (!project.main) {
    throw new ConfigError(`no main module: ${project.configPath ?? 'the project'} has no "main"`, {
      hint: 'add main = "src/index.js" (the bundled entry of your Worker) to the config',
    });
  }
  let content: Buffer;
  try {
    content = await readFile(project.main);
  } catch (e) {
    throw new ConfigError(`cannot read the main module ${project.main} (${(e as NodeJS.ErrnoException).code})`, {
      hint: 'check "main" in the config; build the Worker first if it is generated',
    });
  }
  const imports = relativeImports(content.toString('utf8'));
  if (imports.length) {
    throw new UsageError(`the main module ${relative(ctx.io.cwd, project.main) || project.main} imports other files (${imports.join(', ')})`, {
      hint: 'point "main" at a bundled, single-file Worker (for example the output of esbuild or `wrangler deploy --dry-run --outdir dist`)',
    });
  }
  const file = o.secretsFile !== undefined ? await readSecretsFile(ctx, o.secretsFile, { command: 'versions upload --secrets-file' }) : undefined;
  if (file) assertSecretValues(backend, file.values);
  const bindings: Binding[] = [...varsToBindings(project.vars), ...secretsStoreVersionBindings(await projectSecretsStoreBindings(project))];

  // The preview: the latest version → the one this upload makes (vars, secret names; never values).
  const latest = await latestVersion(backend, target);
  const latestSecrets = latest ? secretNamesOf(latest) : [];
  const secrets: UploadSecrets = file ? uploadSecrets(latestSecrets, Object.keys(file.values), Boolean(o.prune)) : { sets: [], keeps: [...latestSecrets].sort(), drops: [] };
  const planned: Version = {
    id: '(new)',
    number: (latest?.number ?? 0) + 1,
    createdOn: new Date().toISOString(),
    bindings: [...bindings, ...[...secrets.sets, ...secrets.keeps].map((name) => ({ type: 'secret_text', name }))],
  };
  const preview: Preview = {
    live: [],
    target: [{ version: planned, percentage: 0 }],
    unchanged: false,
    staying: [],
    pairs: [{ from: { version: latest ?? planned, percentage: 0 }, to: planned, diff: diffVersions(latest, planned), valuesChanged: [] }],
    changedSecrets: [],
  };
  const s = ctx.out.err;
  ctx.out.note(`${o.dryRun ? 'Dry run of an upload' : 'Upload'}: ${latest ? `version ${latest.number}` : 'no version yet'} → new version ${planned.number} on ${await ctx.where()}`);
  printChanges(ctx, preview);
  if (file) {
    ctx.out.note(`  secrets it sets from ${file.source}: ${secrets.sets.join(', ')}`);
    if (secrets.keeps.length) ctx.out.note(`  secrets it keeps from ${latest ? `version ${latest.number}` : 'the latest version'}: ${secrets.keeps.join(', ')}`);
    if (secrets.drops.length) ctx.out.note(s.yellow(`  secrets it drops (--prune): ${secrets.drops.join(', ')}`));
  } else if (secrets.keeps.length) {
    ctx.out.note(`  secrets it keeps from version ${latest!.number}: ${secrets.keeps.join(', ')}`);
  }
  const missingSecrets = await checkRequiredSecrets(ctx, [planned], {
    force: o.forceMissingSecrets,
    doing: 'the upload',
    hint: (names) => `add ${names.join(', ')} to ${file ? file.source : 'a file given with --secrets-file'}, or put ${names.length === 1 ? 'it' : 'them'} first with \`${ctx.command(`versions secret put ${names[0]}`)}\``,
  });
  const tj = await ctx.targetJson();
  const secretsJson = { sets: secrets.sets, keeps: secrets.keeps, drops: secrets.drops };
  if (o.dryRun) {
    ctx.out.note('dry run: nothing was uploaded');
    ctx.out.document({ ...tj, dryRun: true, versionId: null, version: null, secrets: secretsJson, preview: previewJson(preview), missingSecrets });
    return;
  }

  await ctx.announce('Uploading a new version');
  const version = await backend.uploadVersion(target, {
    mainModule: { name: project.main.split(/[\\/]/).pop() ?? 'index.js', content },
    bindings,
    message: o.message,
    tag: o.tag,
    ...(file ? { secrets: file.values, pruneSecrets: Boolean(o.prune) } : {}),
  });
  if (file) {
    // The backend must have made exactly the planned secrets (one that ignores `secrets` would not).
    const got = secretNamesOf(version).sort();
    const want = [...secrets.sets, ...secrets.keeps].sort();
    if (got.join(',') !== want.join(',')) {
      throw new OperationError(`the ${backend.name} backend made version ${version.number} (${version.id}) with secrets [${got.join(', ')}], not the planned [${want.join(', ')}]`, {
        hint: 'the backend may not support --secrets-file; check the version with `mycli versions view ' + version.id + '` before deploying it',
      });
    }
  }
  // The first version of a Worker is its first change: it created the Worker (say so once).
  if (version.number === 1) ctx.out.note(`created Worker "${target.worker}" in the ${backend.name} backend (its first version)`);
  ctx.out.success(`uploaded version ${version.number} ${s.dim(`(${version.id})`)}; not deployed: roll it out with \`${ctx.command(`versions deploy ${version.number}@100%`)}\``);
  ctx.out.data(version.id);
  ctx.out.document({ ...tj, versionId: version.id, version, secrets: secretsJson, missingSecrets });
};
