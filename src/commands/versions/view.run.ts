/** mycli versions view <ID>: one version, its vars and secret names (never values). */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './view.js';
import { oneLine, pct, when } from '../../cli/format.js';
import { resolveVersion, trafficOf } from './refs.js';
import type { Version } from '../../backends/types.js';
import { publicVersion } from '../../backends/public.js';



export const run: RunOf<typeof command> = async (ctx, [id]) => {
  const o = { id };
  const backend = await ctx.backendWith('versions');
  const target = await ctx.target();
  const version = await resolveVersion(backend, target, o.id);
  // Only the live deployment says what traffic it serves: one read, however long the history.
  const traffic = trafficOf(await backend.listDeployments(target, { limit: 1 })).get(version.id) ?? 0;
  // Built from known fields, never by spreading what the backend returned: a secret binding is
  // {type, name} here whatever a (buggy) backend put in it.
  ctx.out.document({ ...(await ctx.targetJson()), version: versionJson(version, traffic) });
  if (ctx.out.json) return;
  const s = ctx.out.out;
  const rows: [string, string][] = [
    ['Version ID', version.id],
    ['Number', String(version.number)],
    ['Created', when(version.createdOn)],
    ['Author', oneLine(version.author ?? '-')],
    ['Source', oneLine(version.source ?? '-')],
    ['Tag', oneLine(version.tag ?? '-')],
    ['Message', oneLine(version.message ?? '-')],
    ['Script', version.scriptHash ? `sha256:${version.scriptHash}` : '-'],
    ['Traffic', traffic ? `${pct(traffic)} of requests` : 'not deployed'],
  ];
  for (const [k, v] of rows) ctx.out.data(`${s.bold(k.padEnd(11))} ${v}`);
  const vars = version.bindings.filter((b) => b.type === 'plain_text' || b.type === 'json');
  const secrets = version.bindings.filter((b) => b.type === 'secret_text');
  const stored = version.bindings.filter((b) => b.type === 'secrets_store_secret') as { name: string; store_id?: string; secret_name?: string }[];
  const other = version.bindings.filter((b) => !['plain_text', 'json', 'secret_text', 'secrets_store_secret'].includes(b.type));
  ctx.out.data(`${s.bold('Vars'.padEnd(11))} ${vars.length ? '' : '-'}`);
  for (const b of vars) {
    const value = b.type === 'plain_text' ? JSON.stringify((b as { text: string }).text) : JSON.stringify((b as { json: unknown }).json);
    ctx.out.data(`  ${b.name} = ${value}`);
  }
  ctx.out.data(`${s.bold('Secrets'.padEnd(11))} ${secrets.length ? secrets.map((b) => b.name).join(', ') : '-'}`);
  if (stored.length) ctx.out.data(`${s.bold('SecretStore'.padEnd(11))} ${stored.map((b) => `${b.name} → ${b.secret_name} (store ${b.store_id})`).join(', ')}`);
  if (other.length) ctx.out.data(`${s.bold('Bindings'.padEnd(11))} ${other.map((b) => `${b.name} (${b.type})`).join(', ')}`);
};

function versionJson(v: Version, percentage: number): Record<string, unknown> {
  return { ...publicVersion(v), percentage };
}
