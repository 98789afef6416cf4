/** mycli secret list: names and types, never values. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './list.js';
import { table } from '../../cli/format.js';
import { missingRequired } from '../../domain/secrets.js';
import { UsageError } from '../../errors.js';

export const run: RunOf<ReturnType<typeof command>> = async (ctx, _args, o) => {
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
};
