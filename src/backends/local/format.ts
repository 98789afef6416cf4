/**
 * The local store's on-disk format (format 2, docs/STORE.md): the shapes of the head (= a log
 * entry), of version and deployment records, and the checks a reader applies to each file it
 * reads. A file that fails them is damage (exit 1, "the local store is damaged"), never a silent
 * default; nothing here writes.
 */
import { readFile } from 'node:fs/promises';
import { OperationError } from '../../errors.js';
import type { Sealed } from './crypto.js';

export const STORE_FORMAT = 2;

/**
 * The Secrets Store's own file before it moved into the log (format 1, migrate.ts). After the
 * upgrade it holds only a marker (`{"format": 2, "upgraded": …}`) that older mycli versions
 * refuse, so that none of them starts an empty Secrets Store beside the real one.
 */
export const LEGACY_SECRETS_STORE = 'secrets-store.json';

export interface HeadWorker {
  /** Distinguishes a Worker from an earlier one of the same name that was deleted. */
  uid: string;
  createdOn: string;
  /** How many versions (the latest has this number). */
  versions: number;
  latest?: string;
  deployments: number;
  /** The newest deployment. */
  live?: string;
}

/** One store of the Secrets Store, as the head names it. */
export interface HeadStore {
  name: string;
  created: string;
  modified: string;
  /** How many secrets it holds; `record` names its secrets record when there is one or more. */
  secrets: number;
  record?: string;
}

export interface Head {
  format: number;
  generation: number;
  keyCheck?: Sealed;
  workers: Record<string, HeadWorker>;
  /**
   * The Secrets Store, by store id. Present once the Secrets Store lives in the log (its first
   * change, or the upgrade of its format-1 file `secrets-store.json`); absent before.
   */
  stores?: Record<string, HeadStore>;
  /** Ids of the records this generation committed. */
  created?: string[];
}

/** One secret of a Secrets Store store: metadata and the name of the blob holding its value. */
export interface StoreSecret {
  id: string;
  name: string;
  scopes: string[];
  comment: string;
  created: string;
  modified: string;
  blob: string;
}

/**
 * The secrets of one store as one change left them (`secrets-store/<id>.json`), immutable: a
 * change of the store writes a new record, and the head names the newest. Superseded records (and
 * the blobs only they named) are garbage (`mycli store gc`): the Secrets Store keeps no history.
 */
export interface SecretsRecord {
  id: string;
  storeId: string;
  /** The generation that committed it. */
  gen: number;
  secrets: StoreSecret[];
}

export interface StoredBinding {
  type: string;
  name: string;
  text?: string;
  json?: unknown;
  /** secret_text only: the name of the blob holding the encrypted value. */
  blob?: string;
  [key: string]: unknown;
}

export interface VersionRecord {
  id: string;
  worker: string;
  workerUid: string;
  number: number;
  /** The previous version (number - 1). */
  parent?: string;
  /** The generation that committed it. */
  gen: number;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  tag?: string;
  scriptHash?: string;
  mainModule?: string;
  bindings: StoredBinding[];
}

export interface DeploymentRecord {
  id: string;
  worker: string;
  workerUid: string;
  parent?: string;
  gen: number;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  versions: { versionId: string; percentage: number }[];
}

export type VersionFields = Omit<VersionRecord, 'id' | 'worker' | 'workerUid' | 'number' | 'parent' | 'gen'> & { id?: string };
export type DeploymentFields = Omit<DeploymentRecord, 'id' | 'worker' | 'workerUid' | 'parent' | 'gen'> & { id?: string };

export const ID = /^[A-Za-z0-9_-]{1,80}$/;
export const HASH = /^[0-9a-f]{64}$/;

export function emptyHead(): Head {
  return { format: STORE_FORMAT, generation: 0, workers: {} };
}

export function damaged(what: string, where: string): OperationError {
  return new OperationError(`the local store is damaged: ${what}`, {
    hint: `nothing was written; restore ${where} from a backup, or move the store aside to start an empty one`,
  });
}

export function ownWorker(head: Head, name: string): HeadWorker | undefined {
  return Object.prototype.hasOwnProperty.call(head.workers, name) ? head.workers[name] : undefined;
}

/** A head (HEAD or a log entry) from its text: damage when it is not one; a newer format is refused. */
export function parseHead(text: string, file: string, dir: string): Head {
  let h: Head;
  try {
    h = JSON.parse(text) as Head;
  } catch {
    throw damaged(`${file} is not valid JSON`, dir);
  }
  if (!isObject(h)) throw damaged(`${file} does not hold a store head`, dir);
  if (h.format !== STORE_FORMAT) {
    throw new OperationError(`the local store ${dir} has format ${String(h.format)}, which this mycli does not know`, {
      hint: 'upgrade mycli; the store was left untouched',
    });
  }
  if (!Number.isInteger(h.generation) || h.generation < 1) throw damaged(`${file} has no valid generation`, dir);
  if (!isObject(h.workers)) throw damaged(`${file} has no object of Workers`, dir);
  for (const [name, w] of Object.entries(h.workers)) {
    const bad =
      !isObject(w) ||
      typeof w.uid !== 'string' ||
      typeof w.createdOn !== 'string' ||
      !Number.isInteger(w.versions) ||
      w.versions < 0 ||
      !Number.isInteger(w.deployments) ||
      w.deployments < 0 ||
      (w.versions > 0) !== (typeof w.latest === 'string') ||
      (w.deployments > 0) !== (typeof w.live === 'string');
    if (bad) throw damaged(`the entry of Worker "${name}" in ${file} is incomplete`, dir);
  }
  if (h.stores !== undefined) {
    if (!isObject(h.stores)) throw damaged(`${file} has no object of Secrets Store stores`, dir);
    for (const [id, st] of Object.entries(h.stores)) {
      const bad =
        !isObject(st) ||
        !ID.test(id) ||
        typeof st.name !== 'string' ||
        typeof st.created !== 'string' ||
        typeof st.modified !== 'string' ||
        !Number.isInteger(st.secrets) ||
        st.secrets < 0 ||
        (st.secrets > 0) !== (typeof st.record === 'string');
      if (bad) throw damaged(`the entry of Secrets Store store ${id} in ${file} is incomplete`, dir);
    }
  }
  return h;
}

/** Whether a secrets record read from a file is whole (it names `id`; every secret names a blob). */
export function isSecretsRecord(rec: SecretsRecord, id: string): boolean {
  const bad =
    !isObject(rec) ||
    rec.id !== id ||
    typeof rec.storeId !== 'string' ||
    !Number.isInteger(rec.gen) ||
    !Array.isArray(rec.secrets) ||
    rec.secrets.some(
      (x) =>
        !isObject(x) ||
        !['id', 'name', 'comment', 'created', 'modified'].every((k) => typeof (x as unknown as Record<string, unknown>)[k] === 'string') ||
        !Array.isArray(x.scopes) ||
        !x.scopes.every((c: unknown) => typeof c === 'string') ||
        !HASH.test(String(x.blob)),
    );
  return !bad;
}

/** Whether a version record read from a file is whole (it names `id`; secret bindings name a blob). */
export function isVersionRecord(rec: VersionRecord, id: string): boolean {
  const bad =
    !isObject(rec) ||
    rec.id !== id ||
    typeof rec.worker !== 'string' ||
    !Number.isInteger(rec.number) ||
    !Number.isInteger(rec.gen) ||
    typeof rec.createdOn !== 'string' ||
    !Array.isArray(rec.bindings) ||
    rec.bindings.some((b) => !isObject(b) || typeof b.type !== 'string' || typeof b.name !== 'string' || (b.type === 'secret_text' && !HASH.test(String(b.blob))));
  return !bad;
}

export function isDeploymentRecord(rec: DeploymentRecord, id: string): boolean {
  const bad =
    !isObject(rec) ||
    rec.id !== id ||
    typeof rec.createdOn !== 'string' ||
    !Array.isArray(rec.versions) ||
    rec.versions.some((v) => !isObject(v) || typeof v.versionId !== 'string' || typeof v.percentage !== 'number');
  return !bad;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseJson(text: string, file: string, dir: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw damaged(`${file} is not valid JSON`, dir);
  }
}

export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new OperationError(`cannot read the local store file ${file} (${code})`, {
      hint: code === 'EACCES' ? 'check the permissions of that file' : undefined,
    });
  }
}
