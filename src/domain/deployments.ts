/**
 * Pure rules about deployments (no I/O). A later change will gather the other copies of these
 * rules here; for now the rollout command is their user.
 */

export interface Split {
  versionId: string;
  percentage: number;
}

/** The version a deployment serves alone at 100% (a *stable* deployment), else undefined. */
export function stableVersionOf(d: { versions: Split[] } | undefined): string | undefined {
  if (!d || d.versions.length !== 1) return undefined;
  const [only] = d.versions;
  return Math.abs(only.percentage - 100) < 1e-9 ? only.versionId : undefined;
}

/** Same versions at the same percentages, in any order. */
export function sameSplit(a: Split[], b: Split[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => y.versionId === x.versionId && Math.abs(y.percentage - x.percentage) < 1e-6));
}

/**
 * `target` at `percent`, `stable` at the rest. 100% is `target` alone; 0% keeps `target` in the
 * deployment at 0% (it serves only requests that carry a version override).
 */
export function splitAt(target: string, stable: string, percent: number): Split[] {
  if (percent >= 100) return [{ versionId: target, percentage: 100 }];
  return [
    { versionId: target, percentage: percent },
    { versionId: stable, percentage: +(100 - percent).toFixed(3) },
  ];
}

/** The percentage `versionId` gets in the deployment, 0 when absent. */
export function percentOf(d: { versions: Split[] } | undefined, versionId: string): number {
  return d?.versions.find((v) => v.versionId === versionId)?.percentage ?? 0;
}
