/**
 * mycli versions upload: a new version from the project (main module identity, [vars], the
 * latest version's secrets). Not deployed. Prints the new version id on stdout.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import type { Binding } from '../../backends/types.js';
import { ConfigError, UsageError } from '../../errors.js';
import { projectSecretsStoreBindings, secretsStoreVersionBindings } from '../../config/raw.js';

export const command = defineCommand({
  name: 'upload',
  description: 'create a new version from the project (code and [vars]); it is not deployed',
  options: [
    ['-m, --message <text>', 'a message for the version'],
    ['--tag <tag>', 'a tag for the version'],
  ],
  run: (ctx, _args, opts) => run(ctx, opts),
});

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

export async function run(ctx: Context, o: { message?: string; tag?: string }): Promise<void> {
  if (o.message !== undefined && o.message.length > 100) {
    throw new UsageError(`--message is ${o.message.length} characters; the limit is 100`);
  }
  if (o.tag !== undefined && o.tag.length > 100) throw new UsageError(`--tag is ${o.tag.length} characters; the limit is 100`);
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
  await ctx.announce('Uploading a new version');
  const version = await backend.uploadVersion(target, {
    mainModule: { name: project.main.split(/[\\/]/).pop() ?? 'index.js', content },
    bindings: [...varsToBindings(project.vars), ...secretsStoreVersionBindings(await projectSecretsStoreBindings(project))],
    message: o.message,
    tag: o.tag,
  });
  // The first version of a Worker is its first change: it created the Worker (say so once).
  if (version.number === 1) ctx.out.note(`created Worker "${target.worker}" in the ${backend.name} backend (its first version)`);
  ctx.out.success(`uploaded version ${version.number} ${ctx.out.err.dim(`(${version.id})`)}; not deployed: roll it out with \`mycli versions deploy ${version.id}@100%\``);
  ctx.out.data(version.id);
  ctx.out.document({ ...(await ctx.targetJson()), versionId: version.id, version });
}
