/** mycli secret list: names and types, never values. */
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import { table } from '../../cli/format.js';
import { missingRequired } from '../../domain/secrets.js';
import { UsageError } from '../../errors.js';

export function command(versioned = false) {
  return defineCommand({
    name: 'list',
    description: versioned ? 'list the secrets of the latest version (names only)' : 'list the secret names of a Worker (never values)',
    // wrangler's flag; `json` is --json (read with the global options, cli/globals.ts).
    options: [['--format <format>', 'json | pretty (json is --json; pretty, a table, is the default)']],
    run: (ctx, _args, opts) => run(ctx, opts),
  });
}

export async function run(ctx: Context, o: { format?: string } = {}): Promise<void> {
  if (o.format !== undefined && o.format !== 'json' && o.format !== 'pretty') {
    throw new UsageError(`--format ${o.format} is not a format of secret list`, { hint: 'use --format json or --format pretty (the table)' });
  }
  const backend = await ctx.backendWith('secrets');
  const target = await ctx.target();
  const secrets = await backend.listSecrets(target);
  // [secrets] required: each name is marked, and required names the Worker lacks are listed.
  const { requiredSecrets: required, requiredSecretsFrom: from } = await ctx.project();
  const missing = missingRequired(required, secrets.map((x) => x.name));
  const marks = required.length > 0;
  ctx.out.document({
    ...(await ctx.targetJson()),
    secrets: secrets.map((s) => ({ name: s.name, type: s.type, ...(marks ? { required: required.includes(s.name) } : {}) })),
    ...(marks ? { missingRequired: missing } : {}),
  });
  if (ctx.out.json) return;
  if (missing.length) {
    ctx.out.warn(`missing required secret${missing.length === 1 ? '' : 's'} (${from}): ${missing.join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} with \`${ctx.command(`secret put ${missing[0]}`)}\``);
  }
  if (secrets.length === 0) {
    ctx.out.note(`Worker "${target.worker}" has no secrets yet; add one with \`${ctx.command('secret put NAME')}\``);
    return;
  }
  if (marks) ctx.out.data(table(['NAME', 'TYPE', 'REQUIRED'], secrets.map((s) => [s.name, s.type, required.includes(s.name) ? 'yes' : ''])));
  else ctx.out.data(table(['NAME', 'TYPE'], secrets.map((s) => [s.name, s.type])));
}
