/**
 * What a deployment would change, shown before anything is confirmed or sent: the live split →
 * the target split, and for each live version that gives up traffic, the vars and secret names
 * that differ (values never). Shared by `versions deploy` (and its --dry-run) and `rollback`.
 */
import type { Context } from '../../cli/context.js';
import type { Deployment, DeploymentVersion, Target, Version } from '../../backends/types.js';
import type { BackendWith } from '../../backends/capabilities.js';
import { pct } from '../../cli/format.js';
import { samePercent, sameSplit } from '../../domain/deployments.js';
import { diffVersions, newestVersion, type VersionDiff } from '../../domain/versions.js';

export interface SplitPart {
  version: Version;
  percentage: number;
}

/** One live version that gives traffic to one target version, and what that changes for it. */
export interface PairDiff {
  from: SplitPart;
  to: Version;
  diff: VersionDiff;
  /** Secrets present in both whose values differ (known only to backends with changedSecrets). */
  valuesChanged: string[];
}

export interface Preview {
  live: SplitPart[];
  target: SplitPart[];
  /** The target is exactly the live split: nothing to deploy. */
  unchanged: boolean;
  /** Live versions that keep serving (they are in the target too), with no change for them. */
  staying: SplitPart[];
  pairs: PairDiff[];
  /**
   * For a single-version target: the secret names (presence or value) that differ from the
   * newest live version — what the API names when it refuses with 10220. Information only.
   */
  changedSecrets: string[];
  /** The newest live version, the one the API compares with. */
  newestLive?: Version;
}

/** Fetch the versions of the live deployment and of the target split, and diff them. */
export async function buildPreview(
  backend: BackendWith<'versions'>,
  target: Target,
  live: Deployment | undefined,
  split: DeploymentVersion[],
  known: Map<string, Version> = new Map(),
): Promise<Preview> {
  const cache = new Map<string, Promise<Version>>();
  const get = (id: string): Promise<Version> => {
    // Lists may lack bindings (the Cloudflare list has none): always diff whole versions.
    const k = known.get(id);
    if (k && k.bindings.length) return Promise.resolve(k);
    if (!cache.has(id)) cache.set(id, backend.getVersion(target, id));
    return cache.get(id)!;
  };
  const liveParts: SplitPart[] = await Promise.all((live?.versions ?? []).map(async (v) => ({ version: await get(v.versionId), percentage: v.percentage })));
  const targetParts: SplitPart[] = await Promise.all(split.map(async (v) => ({ version: await get(v.versionId), percentage: v.percentage })));
  const newestLive = newestVersion(liveParts.map((p) => p.version));
  const targetIds = new Set(split.map((v) => v.versionId));
  const liveIds = new Set(liveParts.map((l) => l.version.id));
  const staying = liveParts.filter((l) => targetIds.has(l.version.id));


  const single = targetParts.length === 1 ? targetParts[0].version : undefined;
  const valuesChanged =
    single && newestLive && single.id !== newestLive.id && backend.changedSecrets ? await backend.changedSecrets(target, single.id) : [];

  const pairs: PairDiff[] = [];
  // A live version that leaves gives its traffic to every target version; a new target version
  // takes traffic from every live version. Versions on both sides keep theirs.
  for (const l of liveParts) {
    for (const t of targetParts) {
      if (t.version.id === l.version.id || (targetIds.has(l.version.id) && liveIds.has(t.version.id))) continue;
      const diff = diffVersions(l.version, t.version);
      const values = l.version.id === newestLive?.id && t.version.id === single?.id ? valuesChanged.filter((n) => !diff.secrets.some((d) => d.name === n)) : [];
      pairs.push({ from: l, to: t.version, diff, valuesChanged: values });
    }
  }
  // Nothing live yet: the target is compared with nothing (everything it has is added).
  if (!liveParts.length) for (const t of targetParts) pairs.push({ from: { version: t.version, percentage: 0 }, to: t.version, diff: diffVersions(undefined, t.version), valuesChanged: [] });

  let changedSecrets: string[] = [];
  if (single && newestLive && single.id !== newestLive.id) {
    changedSecrets = [...new Set([...diffVersions(newestLive, single).secrets.map((d) => d.name), ...valuesChanged])].sort();
  }
  return { live: liveParts, target: targetParts, unchanged: Boolean(live) && sameSplit(live!.versions, split), staying, pairs, changedSecrets, newestLive };
}

/** "version 3 (30%) + version 2 (70%)"; a single version at 100% is just "version 2" unless `always`. */
export function splitText(parts: SplitPart[], always = false): string {
  if (!parts.length) return 'nothing deployed';
  if (parts.length === 1 && samePercent(parts[0].percentage, 100) && !always) return `version ${parts[0].version.number}`;
  return parts.map((p) => `version ${p.version.number} (${pct(p.percentage)})`).join(' + ');
}

/** The header's arrow: percentages shown whenever either side is a split. */
export function arrowText(p: Preview): string {
  const split = p.live.length > 1 || p.target.length > 1;
  return `${splitText(p.live, split)} → ${splitText(p.target, split)}`;
}

/** The vars/secrets lines of a preview, on stderr. */
export function printChanges(ctx: Context, p: Preview): void {
  const s = ctx.out.err;
  const many = p.pairs.length > 1 || p.staying.length > 0;
  const pad = many ? '    ' : '  ';
  for (const pair of p.pairs) {
    const older = pair.to.number < pair.from.version.number;
    if (many) {
      const toPct = p.target.find((t) => t.version.id === pair.to.id)?.percentage ?? 100;
      ctx.out.note(`  ${s.bold(`version ${pair.from.version.number}`)} (${pct(pair.from.percentage)} now) → version ${pair.to.number} (${pct(toPct)}):`);
    }
    const { vars, secrets } = pair.diff;
    if (vars.length) ctx.out.note(`${pad}vars that change: ${vars.map((v) => `${v.name} (${v.change})`).join(', ')}`);
    if (secrets.length) {
      const word = (c: 'added' | 'removed') => (c === 'removed' ? 'goes away' : older ? 'comes back' : 'added');
      ctx.out.note(s.yellow(`${pad}secrets that change: ${secrets.map((v) => `${v.name} (${word(v.change)})`).join(', ')}`));
    }
    const store = pair.diff.secretsStore ?? [];
    if (store.length) ctx.out.note(`${pad}Secrets Store bindings that change: ${store.map((v) => `${v.name} (${v.change})`).join(', ')}`);
    if (pair.valuesChanged.length) {
      ctx.out.note(s.yellow(`${pad}secrets whose values change: ${pair.valuesChanged.join(', ')} (to version ${pair.to.number}'s values)`));
    }
    if (!vars.length && !secrets.length && !store.length && !pair.valuesChanged.length) ctx.out.note(`${pad}vars and secrets: unchanged`);
  }
  for (const st of p.staying) {
    const next = p.target.find((t) => t.version.id === st.version.id)!.percentage;
    ctx.out.note(`  ${s.bold(`version ${st.version.number}`)} (${pct(st.percentage)} now → ${pct(next)}) keeps serving: unchanged`);
  }
}

/** The preview as JSON (names only). */
export function previewJson(p: Preview): Record<string, unknown> {
  const part = (x: SplitPart) => ({ versionId: x.version.id, number: x.version.number, percentage: x.percentage });
  return {
    from: p.live.map(part),
    to: p.target.map(part),
    changes: p.pairs.map((x) => ({
      from: part(x.from),
      to: { versionId: x.to.id, number: x.to.number },
      vars: x.diff.vars,
      secrets: x.diff.secrets,
      ...(x.diff.secretsStore ? { secretsStore: x.diff.secretsStore } : {}),
      secretValuesChanged: x.valuesChanged,
    })),
    secretsChanged: p.changedSecrets,
  };
}
