/** mycli secret list: names and types, never values. */
import { defineCommand } from '../../cli/define-command.js';
import type { Context } from '../../cli/context.js';
import { table } from '../../cli/format.js';

export function command(versioned = false) {
  return defineCommand({
    name: 'list',
    description: versioned ? 'list the secrets of the latest version (names only)' : 'list the secret names of a Worker (never values)',
    run: (ctx) => run(ctx),
  });
}

export async function run(ctx: Context): Promise<void> {
  const backend = await ctx.backendWith('secrets');
  const target = await ctx.target();
  const secrets = await backend.listSecrets(target);
  ctx.out.document({ ...(await ctx.targetJson()), secrets: secrets.map((s) => ({ name: s.name, type: s.type })) });
  if (ctx.out.json) return;
  if (secrets.length === 0) {
    ctx.out.note(`Worker "${target.worker}" has no secrets yet; add one with \`${ctx.command('secret put NAME')}\``);
    return;
  }
  ctx.out.data(table(['NAME', 'TYPE'], secrets.map((s) => [s.name, s.type])));
}
