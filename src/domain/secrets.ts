/**
 * Rules about a Worker's secret names (pure; no I/O): the plan of `secret sync`, what an upload
 * with a secrets file sets, keeps and drops, and the required secrets (`[secrets] required`) a
 * version lacks. Names only: values never reach this layer.
 */

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (names: Iterable<string>) => [...new Set(names)].sort(byName);

/** How the plan knows whether a value differs: the backend compared, or it cannot. */
export type Comparison = { compared: true; differing: readonly string[] } | { compared: false; reason: string };

export interface SyncPlan {
  /** In the file, not on the Worker. */
  added: string[];
  /** In both, value differs (backends that can compare). */
  changed: string[];
  /** In both, same value (backends that can compare). */
  unchanged: string[];
  /** In both, and the backend cannot tell whether the value differs: written again. */
  set: string[];
  /** On the Worker, not in the file, and `--prune`: deleted. */
  removed: string[];
  /** On the Worker, not in the file, no `--prune`: left alone. */
  leftAlone: string[];
  /** Why `set` names could not be compared (when the backend cannot). */
  setReason?: string;
}

/**
 * The plan of `secret sync`: the Worker's secrets (`current`) made equal to the file's names
 * (`wanted`). Names in both are changed / unchanged when the backend compared values, else `set`.
 */
export function syncPlan(current: readonly string[], wanted: readonly string[], comparison: Comparison, prune: boolean): SyncPlan {
  const have = new Set(current);
  const want = new Set(wanted);
  const both = sorted(wanted.filter((n) => have.has(n)));
  const gone = sorted(current.filter((n) => !want.has(n)));
  const differing = comparison.compared ? new Set(comparison.differing) : undefined;
  return {
    added: sorted(wanted.filter((n) => !have.has(n))),
    changed: differing ? both.filter((n) => differing.has(n)) : [],
    unchanged: differing ? both.filter((n) => !differing.has(n)) : [],
    set: differing ? [] : both,
    removed: prune ? gone : [],
    leftAlone: prune ? [] : gone,
    ...(comparison.compared ? {} : { setReason: comparison.reason }),
  };
}

/** The names a sync writes (added, changed, set) and deletes (removed). */
export function syncWrites(plan: SyncPlan): { put: string[]; remove: string[] } {
  return { put: sorted([...plan.added, ...plan.changed, ...plan.set]), remove: plan.removed };
}

/** Nothing to write: the Worker already matches the file (as far as the backend can tell). */
export function inSync(plan: SyncPlan): boolean {
  const w = syncWrites(plan);
  return w.put.length === 0 && w.remove.length === 0;
}

/** What an upload with a secrets file does to the latest version's secrets. */
export interface UploadSecrets {
  /** Names the file gives (added or replaced in the new version). */
  sets: string[];
  /** Names of the latest version carried into the new one unchanged. */
  keeps: string[];
  /** Names of the latest version left out (`--prune`). */
  drops: string[];
}

export function uploadSecrets(latest: readonly string[], file: readonly string[], prune: boolean): UploadSecrets {
  const inFile = new Set(file);
  const others = sorted(latest.filter((n) => !inFile.has(n)));
  return { sets: sorted(file), keeps: prune ? [] : others, drops: prune ? others : [] };
}

/** The required names (`[secrets] required`) that `present` lacks, in the config's order. */
export function missingRequired(required: readonly string[], present: Iterable<string>): string[] {
  const have = new Set(present);
  return [...new Set(required)].filter((n) => !have.has(n));
}

/** The secret names of a version's bindings. */
export function secretNamesOf(version: { bindings: readonly { type: string; name: string }[] }): string[] {
  return version.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name);
}
