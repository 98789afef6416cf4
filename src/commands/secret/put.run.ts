/** mycli secret put <NAME>: hidden prompt | piped stdin | --from-file; deploys a new version. */
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './put.js';
import { readSecretValue } from '../../io/secret-value.js';
import { limitsOf, valueTooLarge } from '../../backends/limits.js';
import { changeJson, changeSummary, changeWords, checkSecretNames, refuseDuringRollout, reportWorkerCreated, updateSecretsExplained } from './report.js';

/** `deploy` false: `versions secret put` (a version, not deployed). */
export const run = (deploy: boolean): RunOf<ReturnType<typeof command>> => async (ctx, [name], opts) => {
  const o = { name, ...opts, deploy };
  await checkSecretNames(ctx, [o.name]);
  const backend = await ctx.backendWith('secrets', ...(o.deploy ? [] : (['versionedSecrets'] as const)));
  const target = await ctx.target();
  backend.prepareWrite?.();
  // Before asking someone to type a secret, make sure the change could be deployed at all.
  const willPrompt = o.fromFile === undefined && ctx.io.stdinIsTTY && ctx.interactive;
  if (willPrompt && o.deploy) await refuseDuringRollout(backend, target, changeWords('put', o.name));
  // Say what is acted on before the value is asked for, not after it was typed.
  await ctx.announce(o.deploy ? `Putting secret ${o.name}` : `Putting secret ${o.name} in a new version`);
  // Read up to the backend's limit and no further; over it: exit 2 before any write or request
  // (a value just over it is refused, with its size, at the backend's edge).
  const read = await readSecretValue(ctx.io, {
    name: o.name,
    command: ctx.command(`${o.deploy ? '' : 'versions '}secret put ${o.name}`),
    fromFile: o.fromFile,
    allowEmpty: o.allowEmpty,
    maxBytes: limitsOf(backend).secretValueBytes,
  });
  if (read.overLimit) throw valueTooLarge(backend, o.name);
  const { value, warnings } = read;
  for (const w of warnings) ctx.out.warn(w);
  const result = await updateSecretsExplained(backend, target, { [o.name]: value }, { deploy: o.deploy, message: o.message }, changeWords('put', o.name));
  reportWorkerCreated(ctx, target, result, backend.name);
  const action = result.changes[0]?.action ?? 'updated';
  ctx.out.success(`secret ${o.name} ${action}${result.version ? `: ${changeSummary(ctx, result)}` : ''}`);
  ctx.out.document({ ...(await ctx.targetJson()), secret: { name: o.name, action }, ...changeJson(result) });
};
