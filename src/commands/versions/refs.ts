/** Version references and `<ID>@<PCT>%` specs. */
import type { Deployment, Target, Version } from '../../backends/types.js';
import type { BackendWith } from '../../backends/capabilities.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { newestFirst } from '../../domain/versions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeploySpec {
  ref: string;
  /** undefined when the spec had no `@PCT%`. */
  percentage?: number;
  /** From `--version-tag`: the reference is read as a tag only. */
  tagOnly?: boolean;
}

/**
 * `<REF>@<PCT>%`, `<REF>@<PCT>`, `<REF>@` or `<REF>` alone. PCT is a number from 0 to 100 with at
 * most three decimals. REF is what resolveVersion reads (a number, an id or its prefix, a tag).
 * Tags may hold `@` (`versions upload --tag` takes any text), so, as wrangler 4.164 reads
 * `--version-tag`, the spec splits at its LAST `@`, and only when what follows is meant as a
 * percentage (digits, or ending in `%`): `v1@beta@50%` is tag `v1@beta` at 50%, `v1@beta` is the
 * tag whole, and a trailing `@` ends the reference (`build@7@` is tag `build@7`, no percentage).
 * `tag`: the spec of `--version-tag`, whose tag may hold spaces.
 */
export function parseDeploySpec(spec: string, options: { tag?: boolean } = {}): DeploySpec {
  const text = spec.trim();
  const bad = () => new UsageError(`"${spec}" is not a version spec`, { hint: 'write <VERSION>@<PERCENT>%, for example 1a2b3c4d@10%' });
  const at = text.lastIndexOf('@');
  const suffix = at < 0 ? undefined : text.slice(at + 1);
  const meantAsPercent = suffix !== undefined && (suffix === '' || suffix.endsWith('%') || /^[-+\d.]+$/.test(suffix));
  const ref = meantAsPercent ? text.slice(0, at) : text;
  if (!ref || (!options.tag && /\s/.test(ref))) throw bad();
  const kind = options.tag ? { tagOnly: true } : {};
  if (!meantAsPercent || suffix === '') return { ref, ...kind };
  const m = /^(\d{1,3}(?:\.\d{1,3})?)%?$/.exec(suffix!);
  if (!m) throw bad();
  const percentage = Number(m[1]);
  // 0% is allowed: the version stays in the deployment and serves only requests that carry a
  // version override (as a rollout's step 0, and as wrangler allows).
  if (!(percentage >= 0 && percentage <= 100)) {
    throw new UsageError(`"${spec}": the percentage must be from 0 to 100`, { hint: 'for example 1a2b3c4d@10%' });
  }
  return { ref, percentage, ...kind };
}

const REF_HINT = 'give the version number (e.g. 5), the id or at least 4 characters of it, or the tag, from `mycli versions list`';

export interface ResolveOptions {
  /** Read the reference as a tag only (`versions deploy --version-tag`, wrangler's flag). */
  tagOnly?: boolean;
}

/**
 * The version a reference names. In this order (the first reading that names a version wins):
 *   1. a full id (36 characters);
 *   2. a version number (`5`) and a unique id prefix of at least 4 characters: digits only can be
 *      both; when they name two different versions that is ambiguous (exit 2, both listed), never
 *      a guess;
 *   3. a tag (`versions upload --tag`), compared exactly: read only when 1 and 2 name nothing, so a
 *      tag that looks like a number or an id prefix (`42`, a short commit hash) names its version
 *      only when no version has that number or id prefix — name it by id then, or with
 *      `versions deploy --version-tag` (tags only). A tag that several versions carry is
 *      ambiguous (exit 2, all listed, newest first), as wrangler 4.164 refuses it.
 * Readings 1 and 2 use the backend's index (a handful of reads); only a tag reads the history.
 */
export async function resolveVersion(backend: BackendWith<'versions'>, target: Target, ref: string, options: ResolveOptions = {}): Promise<Version> {
  if (options.tagOnly) return byTag(backend, target, ref, true);
  if (UUID.test(ref)) return backend.getVersion(target, ref.toLowerCase());
  const isNumber = /^[1-9]\d{0,9}$/.test(ref);
  const isPrefix = /^[0-9a-f-]{4,}$/i.test(ref);
  if (!isNumber && !isPrefix) {
    if (/^[0-9a-f-]{1,3}$/i.test(ref)) {
      // Short hex: a prefix too short, unless some version carries it as its tag.
      const tagged = await taggedWith(backend, target, ref);
      if (!tagged.length) throw new UsageError(`"${ref}" is not a version number or id (an id prefix has at least 4 characters), nor a tag of Worker "${target.worker}"`, { hint: REF_HINT });
      return byTag(backend, target, ref, false, tagged);
    }
    return byTag(backend, target, ref, false);
  }
  // Only the candidates (a backend with an index reads just those; others return all, filtered here).
  const versions = await backend.listVersions(target, {
    ...(isNumber ? { number: Number(ref) } : {}),
    ...(isPrefix ? { idPrefix: ref.toLowerCase() } : {}),
  });
  const byNumber = isNumber ? versions.find((v) => v.number === Number(ref)) : undefined;
  const byPrefix = isPrefix ? versions.filter((v) => v.id.toLowerCase().startsWith(ref.toLowerCase())) : [];
  const prefixOthers = byPrefix.filter((v) => v.id !== byNumber?.id);
  if (byNumber && prefixOthers.length) {
    throw new UsageError(
      `"${ref}" is ambiguous: version ${byNumber.number} (${byNumber.id}) by number, and an id starting with ${ref}: ` +
        prefixOthers.map((v) => `version ${v.number} (${v.id})`).join(', '),
      { hint: 'give the full id, or more characters of it' },
    );
  }
  // Lists may carry less than a version's view (the Cloudflare list has no bindings): fetch it whole.
  if (byNumber) return backend.getVersion(target, byNumber.id);
  if (byPrefix.length === 1) return backend.getVersion(target, byPrefix[0].id);
  if (byPrefix.length > 1) {
    throw new UsageError(`"${ref}" matches ${byPrefix.length} versions: ${byPrefix.map((v) => v.id).join(', ')}`, {
      hint: 'give more characters of the id, or the version number',
    });
  }
  // Neither a number nor an id prefix of any version: maybe a tag (`42`, a short commit hash).
  const tagged = await taggedWith(backend, target, ref);
  if (tagged.length) return byTag(backend, target, ref, false, tagged);
  throw new NotFoundError(
    isPrefix
      ? `no version of Worker "${target.worker}" has ${isNumber ? `number ${ref}, ` : ''}an id starting with ${ref}, or tag ${ref}`
      : `Worker "${target.worker}" has no version ${ref} (and no version tagged ${ref})`,
    { hint: 'see the versions with `mycli versions list`' },
  );
}

/** The versions carrying exactly this tag, newest first (the whole history: tags have no index). */
async function taggedWith(backend: BackendWith<'versions'>, target: Target, tag: string): Promise<Version[]> {
  return newestFirst((await backend.listVersions(target)).filter((v) => v.tag === tag));
}

async function byTag(backend: BackendWith<'versions'>, target: Target, tag: string, tagOnly: boolean, known?: Version[]): Promise<Version> {
  const tagged = known ?? (await taggedWith(backend, target, tag));
  if (tagged.length === 1) return backend.getVersion(target, tagged[0].id);
  if (tagged.length > 1) {
    throw new UsageError(
      `tag "${tag}" names ${tagged.length} versions of Worker "${target.worker}": ${tagged.map((v) => `version ${v.number} (${v.id})`).join(', ')}`,
      { hint: 'name one of them by its number or id' },
    );
  }
  throw new NotFoundError(`no version of Worker "${target.worker}" is tagged "${tag}"`, {
    hint: tagOnly ? 'see the tags with `mycli versions list` (a tag is given with `mycli versions upload --tag <TAG>`)' : REF_HINT,
  });
}

export function liveDeployment(deployments: Deployment[]): Deployment | undefined {
  return deployments[0];
}

/** versionId -> percentage of the live deployment. */
export function trafficOf(deployments: Deployment[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of liveDeployment(deployments)?.versions ?? []) m.set(v.versionId, v.percentage);
  return m;
}
