/**
 * Pure rules about versions (no I/O; types only from backends/types.ts): which is newest, and
 * what deploying one instead of another changes.
 */
import type { Binding, Version } from '../backends/types.js';

/** What the rules need of a version: its number (1, 2, 3, ... in order of creation). */
export interface Numbered {
  number: number;
}

/** The newest version: the highest number (the first of equals). undefined for none. */
export function newestVersion<T extends Numbered>(versions: readonly T[]): T | undefined {
  let newest: T | undefined;
  for (const v of versions) if (!newest || v.number > newest.number) newest = v;
  return newest;
}

/** The versions newest first (a new array; equal numbers keep their order). */
export function newestFirst<T extends Numbered>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => b.number - a.number);
}

export interface VersionDiff {
  vars: { name: string; change: 'added' | 'removed' | 'changed' }[];
  secrets: { name: string; change: 'added' | 'removed' }[];
  /**
   * Secrets Store bindings (`[[secrets_store_secrets]]`) that are added, removed or point at
   * another store or secret. Present only when either version has such bindings.
   */
  secretsStore?: { name: string; change: 'added' | 'removed' | 'changed' }[];
}

/** A Secrets Store binding's identity: which store and which secret it reads. */
function storeRef(b: Binding): string {
  const o = b as { store_id?: unknown; secret_name?: unknown };
  return `${String(o.store_id)}/${String(o.secret_name)}`;
}

/**
 * What deploying `to` instead of `from` changes: var names (added, removed, changed value) and
 * secret names (added, removed) — values never. `from` undefined: everything `to` has is added.
 */
export function diffVersions(from: Pick<Version, 'bindings'> | undefined, to: Pick<Version, 'bindings'>): VersionDiff {
  const isVar = (b: Binding) => b.type === 'plain_text' || b.type === 'json';
  const varValue = (b: Binding) => JSON.stringify(b.type === 'plain_text' ? (b as { text: unknown }).text : (b as { json: unknown }).json);
  const fromVars = new Map((from?.bindings ?? []).filter(isVar).map((b) => [b.name, varValue(b)]));
  const toVars = new Map(to.bindings.filter(isVar).map((b) => [b.name, varValue(b)]));
  const vars: VersionDiff['vars'] = [];
  for (const [n, v] of toVars) {
    if (!fromVars.has(n)) vars.push({ name: n, change: 'added' });
    else if (fromVars.get(n) !== v) vars.push({ name: n, change: 'changed' });
  }
  for (const n of fromVars.keys()) if (!toVars.has(n)) vars.push({ name: n, change: 'removed' });
  const fromSecrets = new Set((from?.bindings ?? []).filter((b) => b.type === 'secret_text').map((b) => b.name));
  const toSecrets = new Set(to.bindings.filter((b) => b.type === 'secret_text').map((b) => b.name));
  const secrets: VersionDiff['secrets'] = [];
  for (const n of toSecrets) if (!fromSecrets.has(n)) secrets.push({ name: n, change: 'added' });
  for (const n of fromSecrets) if (!toSecrets.has(n)) secrets.push({ name: n, change: 'removed' });
  const isStore = (b: Binding) => b.type === 'secrets_store_secret';
  const fromStore = new Map((from?.bindings ?? []).filter(isStore).map((b) => [b.name, storeRef(b)]));
  const toStore = new Map(to.bindings.filter(isStore).map((b) => [b.name, storeRef(b)]));
  if (!fromStore.size && !toStore.size) return { vars, secrets };
  const secretsStore: NonNullable<VersionDiff['secretsStore']> = [];
  for (const [n, ref] of toStore) {
    if (!fromStore.has(n)) secretsStore.push({ name: n, change: 'added' });
    else if (fromStore.get(n) !== ref) secretsStore.push({ name: n, change: 'changed' });
  }
  for (const n of fromStore.keys()) if (!toStore.has(n)) secretsStore.push({ name: n, change: 'removed' });
  return { vars, secrets, secretsStore };
}
