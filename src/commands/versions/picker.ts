/**
 * The interactive picker of `versions deploy` with no arguments: the current deployment first,
 * then the versions in aligned columns (number, id, date, live share, tag and message, cut to the
 * terminal width). The list is erased once answered or cancelled (Ctrl-C: exit 130).
 */
import type { Context } from '../../cli/context.js';
import type { Deployment, DeploymentVersion, Version } from '../../backends/types.js';
import type { Choice } from '../../io/prompter.js';
import { UsageError } from '../../errors.js';
import { oneLine, pct, truncate, visibleLength, when } from '../../cli/format.js';
import { restOf, splitAt } from '../../domain/deployments.js';

/** One aligned line per version; live versions first (in the live order), then newest first. */
export function versionChoices(versions: Version[], live: Deployment | undefined, width = 80): Choice<string>[] {
  const share = new Map((live?.versions ?? []).map((v) => [v.versionId, v.percentage]));
  const liveFirst = [
    ...(live?.versions ?? []).map((lv) => versions.find((v) => v.id === lv.versionId)).filter((v): v is Version => Boolean(v)),
    ...versions.filter((v) => !share.has(v.id)),
  ];
  const numW = Math.max(...liveFirst.map((v) => String(v.number).length));
  const shareText = (v: Version) => (share.has(v.id) ? `● ${pct(share.get(v.id)!)}` : '');
  const shareW = Math.max(0, ...liveFirst.map((v) => shareText(v).length));
  return liveFirst.map((v) => {
    const head = `${String(v.number).padStart(numW)}  ${v.id.slice(0, 8)}  ${when(v.createdOn)}  ${shareText(v).padEnd(shareW)}`;
    const text = oneLine([v.tag ? `[${v.tag}]` : '', v.message ?? ''].filter(Boolean).join(' '));
    // The prompt draws "❯ " before each choice; keep one column spare.
    const room = width - 3 - visibleLength(head) - 2;
    const line = text && room >= 4 ? `${head}  ${truncate(text, room)}` : head;
    return { name: line.trimEnd(), value: v.id };
  });
}

/** Newest version that is not live, where the cursor starts. */
function firstNotLive(versions: Version[], live: Deployment | undefined): string | undefined {
  return versions.find((v) => !live?.versions.some((lv) => lv.versionId === v.id))?.id;
}

export async function pickInteractively(ctx: Context, versions: Version[], live: Deployment | undefined): Promise<DeploymentVersion[]> {
  if (versions.length === 0) throw new UsageError('there are no versions to deploy', { hint: 'create one with `mycli versions upload`' });
  const s = ctx.out.err;
  const byId = new Map(versions.map((v) => [v.id, v]));
  const liveText = live
    ? live.versions.map((v) => `version ${byId.get(v.versionId)?.number ?? v.versionId.slice(0, 8)} (${pct(v.percentage)})`).join(' + ') +
      ` · deployed ${when(live.createdOn)}${live.message ? ` · "${oneLine(live.message)}"` : ''}`
    : 'nothing deployed yet';
  ctx.out.note(`${s.bold('Current deployment:')} ${liveText}`);
  const width = ctx.columns ?? 80;
  const picked = (id: string) => ctx.out.note(`${s.dim('picked')} version ${byId.get(id)!.number} ${s.dim(`(${id})`)}`);

  const first = await ctx.io.prompter.select({
    message: 'Which version do you want to deploy?',
    choices: versionChoices(versions, live, width),
    default: firstNotLive(versions, live),
    clear: true,
  });
  picked(first);
  const pctText = await ctx.io.prompter.input({
    message: 'What percentage of traffic should it get?',
    default: '100',
    validate: (t) => (/^\d{1,3}(\.\d{1,3})?$/.test(t.trim()) && Number(t) > 0 && Number(t) <= 100 ? true : 'a number from 0 (exclusive) to 100'),
  });
  const p = Number(pctText.trim());
  if (p === 100) return [{ versionId: first, percentage: 100 }];
  const rest = versions.filter((v) => v.id !== first);
  if (rest.length === 0) throw new UsageError('there is no other version to take the rest of the traffic');
  const second = await ctx.io.prompter.select({
    message: `Which version gets the other ${restOf(p)}%?`,
    choices: versionChoices(rest, live, width),
    // The version that serves the most now is the usual choice for the rest.
    default: [...(live?.versions ?? [])].sort((a, b) => b.percentage - a.percentage).find((v) => v.versionId !== first)?.versionId,
    clear: true,
  });
  picked(second);
  return splitAt(first, second, p);
}
