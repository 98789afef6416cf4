/**
 * Upgrades of the local store's older files, run once where the backend opens the store
 * (LocalBackend.open), each through the store's own commit (LocalStore.change: the immutable
 * writes, the lock, the compare-and-set on the generation), with a check before the commit that
 * reads every record and blob back from disk and compares it with the old file:
 *
 * - a format-1 Worker store (`state.json`, one JSON file re-sealing every secret of every version)
 *   becomes generation 1, losslessly: every Worker, version (id, number, time, author, source,
 *   message, tag, script, bindings), deployment and secret value; then state.json is removed;
 * - the Secrets Store's format-1 file (`secrets-store.json`, rewritten in place under its own
 *   lock) becomes the head's `stores` and one secrets record per store, every value a blob; then
 *   the file is replaced by a marker that older mycli versions refuse.
 *
 * A kill before the commit leaves the old file the store (the files written are unreferenced,
 * written again by the next attempt or removed by gc); after it, the new records, complete.
 * An old file that decrypts but is inconsistent is refused as damaged, untouched.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthError, isMycliError, OperationError } from '../../errors.js';
import { blobName, open, openBlob, openStoreBlob, sealBlob, sealKeyCheck, sealStoreBlob, secretAad, storeBlobName, type Sealed } from './crypto.js';
import { assertKeyFits } from './key.js';
import { damaged, ID, LEGACY_SECRETS_STORE, type Head, type StoreSecret, type StoredBinding, type VersionRecord } from './format.js';
import type { LocalStore } from './store.js';
import type { Tx } from './tx.js';

interface V1Binding {
  type: string;
  name: string;
  sealed?: Sealed;
  [k: string]: unknown;
}
interface V1Version {
  id: string;
  number: number;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  tag?: string;
  scriptHash?: string;
  mainModule?: string;
  bindings: V1Binding[];
}
interface V1Deployment {
  id: string;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  versions: { versionId: string; percentage: number }[];
}
interface V1State {
  format: number;
  keyCheck?: Sealed;
  workers: Record<string, { createdOn: string; versions: V1Version[]; deployments: V1Deployment[] }>;
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';

/** What is wrong with a format-1 state, or undefined when it is consistent. */
export function checkFormat1(s: unknown): string | undefined {
  if (!isObj(s)) return 'state.json does not hold a mycli store';
  if (!isObj(s.workers)) return '"workers" is not an object of Workers';
  if (s.keyCheck !== undefined && !isSealed(s.keyCheck)) return 'the key check is incomplete';
  for (const [name, w] of Object.entries(s.workers)) {
    const W = `Worker "${name}"`;
    if (!isObj(w)) return `the entry of ${W} is not an object`;
    if (!Array.isArray(w.versions)) return `${W} has no list of versions`;
    if (!Array.isArray(w.deployments)) return `${W} has no list of deployments`;
    if (w.createdOn !== undefined && typeof w.createdOn !== 'string') return `${W} has an invalid creation time`;
    const ids = new Set<string>();
    const numbers = new Set<number>();
    for (const [i, v] of (w.versions as unknown[]).entries()) {
      if (!isObj(v)) return `version #${i + 1} of ${W} is not an object`;
      if (typeof v.id !== 'string' || !ID.test(v.id)) return `a version of ${W} has no valid id`;
      if (!Number.isInteger(v.number) || v.number < 1) return `version ${v.id} of ${W} has no valid number`;
      if (typeof v.createdOn !== 'string') return `version ${v.id} of ${W} has no creation time`;
      if (![v.author, v.source, v.message, v.tag, v.scriptHash, v.mainModule].every(optStr)) return `version ${v.id} of ${W} has a field of the wrong type`;
      if (!Array.isArray(v.bindings)) return `version ${v.id} of ${W} has no list of bindings`;
      for (const b of v.bindings as unknown[]) {
        if (!isObj(b) || typeof b.type !== 'string' || typeof b.name !== 'string') return `version ${v.id} of ${W} has an incomplete binding`;
        if (b.type === 'secret_text' && !isSealed(b.sealed)) return `secret "${b.name}" of version ${v.id} of ${W} has no sealed value`;
      }
      if (ids.has(v.id)) return `version id ${v.id} appears twice in ${W}`;
      if (numbers.has(v.number)) return `version number ${v.number} appears twice in ${W}`;
      ids.add(v.id);
      numbers.add(v.number);
    }
    for (const [i, d] of (w.deployments as unknown[]).entries()) {
      if (!isObj(d) || typeof d.id !== 'string' || !ID.test(d.id)) return `deployment #${i + 1} of ${W} has no valid id`;
      if (typeof d.createdOn !== 'string') return `deployment ${d.id} of ${W} has no creation time`;
      if (![d.author, d.source, d.message].every(optStr)) return `deployment ${d.id} of ${W} has a field of the wrong type`;
      if (!Array.isArray(d.versions) || d.versions.length === 0) return `deployment ${d.id} of ${W} names no versions`;
      for (const dv of d.versions as unknown[]) {
        if (!isObj(dv) || typeof dv.versionId !== 'string' || typeof dv.percentage !== 'number') return `deployment ${d.id} of ${W} has an incomplete version entry`;
        if (!ids.has(dv.versionId)) return `deployment ${d.id} of ${W} names version ${dv.versionId}, which does not exist`;
      }
    }
  }
  return undefined;
}

function isSealed(v: unknown): v is Sealed {
  return isObj(v) && typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.data === 'string';
}

/** Upgrade the format-1 Worker store of `store`, if it has one that is not upgraded yet. */
export async function upgradeFormat1(store: LocalStore, key: () => Buffer, env: Record<string, string | undefined>): Promise<void> {
  let state: V1State | undefined;
  let k: Buffer | undefined;
  const plain = new Map<string, string>(); // `${version id}\0${name}` -> value, to verify
  store.upgrading = true;
  try {
    await store.change(
      async (tx) => {
        state = undefined;
        plain.clear();
        // Upgraded meanwhile by another process (which then removes state.json). A log/ folder
        // without an entry is an upgrade interrupted before its commit: done again, from
        // state.json, which is still whole.
        if (tx.gen !== 1) return;
        const text = await readLegacy(store.legacyFile);
        if (text === undefined) return;
        state = parseFormat1(text, store.legacyFile);
        k = key();
        buildFormat1(tx, state, text, k, plain);
      },
      {
        beforeCommit: async (tx) => {
          if (!state) return;
          await verifyFormat1(store, tx.head, state, k!, plain);
          testKill(env);
        },
      },
    );
  } catch (e) {
    throw upgradeFailed(`the local store ${store.dir}`, store.legacyFile, e);
  } finally {
    store.upgrading = false;
  }
  // Committed (by this process or another): state.json, kept until here as the backup, goes.
  await unlink(store.legacyFile).catch(() => undefined);
}

/** A failure to write or read while upgrading, named with the store (exit 1); the other mycli errors as they are. */
function upgradeFailed(what: string, legacy: string, e: unknown): unknown {
  const cause = (isMycliError(e) ? (e as Error).cause : e) as NodeJS.ErrnoException | undefined;
  if (!(cause instanceof Error) || typeof cause.code !== 'string') return e;
  const code = cause.code;
  return new OperationError(`cannot upgrade ${what} to format 2 (${code}${cause.syscall ? `: ${cause.syscall} failed` : ''}); nothing was committed`, {
    hint: `${legacy} was left as it was and is still the store; ${
      code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT' ? 'free some disk space' : 'check the permissions of that folder'
    } and run the command again: the upgrade starts over`,
  });
}

async function readLegacy(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OperationError(`cannot read the local store ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
}

function parseFormat1(text: string, file: string): V1State {
  let state: V1State;
  try {
    state = JSON.parse(text) as V1State;
  } catch (e) {
    throw damaged(`${file} is not valid JSON (${(e as Error).message})`, file);
  }
  if (isObj(state) && state.format !== 1) {
    throw new OperationError(`the local store ${file} has format ${String(state.format)}, which this mycli does not know`, {
      hint: 'upgrade mycli; the file was left untouched',
    });
  }
  const problem = checkFormat1(state);
  if (problem) throw damaged(problem, file);
  return state;
}

/** Generation 1 holding the whole history of `state`, in `tx`. */
function buildFormat1(tx: Tx, state: V1State, text: string, key: Buffer, plain: Map<string, string>): void {
  assertKeyFits(key, state.keyCheck);
  tx.setKeyCheck(state.keyCheck ?? sealKeyCheck(key));
  for (const [name, w] of Object.entries(state.workers)) {
    const hw = tx.createWorker(name);
    hw.uid = upgradeUid(text, name);
    hw.createdOn = w.createdOn ?? w.versions[0]?.createdOn ?? new Date().toISOString();
    for (const v of [...w.versions].sort((a, b) => a.number - b.number)) {
      const bindings: StoredBinding[] = v.bindings.map((b) => {
        if (b.type !== 'secret_text') return { ...b };
        const value = isSealed(b.sealed) ? open(key, b.sealed, secretAad(name, b.name, v.id)) : undefined;
        if (value === undefined) {
          throw new AuthError(`cannot decrypt secret "${b.name}" of version ${v.number} of Worker "${name}" while upgrading the local store`, {
            hint: 'the store was written with another key (MYCLI_LOCAL_KEY or the key file); nothing was changed',
          });
        }
        plain.set(`${v.id}\0${b.name}`, value);
        const hash = blobName(key, name, b.name, value);
        tx.putBlob(hash, () => sealBlob(key, name, b.name, hash, value), (blob) => openBlob(key, name, b.name, hash, blob) === value);
        return { type: 'secret_text', name: b.name, blob: hash };
      });
      // Numbers are kept as they were, gaps included.
      hw.versions = v.number - 1;
      tx.addVersion(name, {
        id: v.id,
        createdOn: v.createdOn,
        author: v.author,
        source: v.source,
        message: v.message,
        tag: v.tag,
        scriptHash: v.scriptHash,
        mainModule: v.mainModule,
        bindings,
      });
    }
    for (const d of w.deployments) {
      tx.addDeployment(name, { id: d.id, createdOn: d.createdOn, author: d.author, source: d.source, message: d.message, versions: d.versions.map((x) => ({ ...x })) });
    }
  }
}

/** Every record and blob of the new generation, read back from disk, is what state.json holds. */
async function verifyFormat1(store: LocalStore, head: Head, state: V1State, key: Buffer, plain: Map<string, string>): Promise<void> {
  for (const [name, w] of Object.entries(state.workers)) {
    const hw = head.workers[name];
    const chain = await store.versionChain(hw.latest, Infinity, `Worker "${name}"`);
    const byId = new Map(chain.map((r) => [r.id, r]));
    if (chain.some((r) => r.workerUid !== hw.uid || r.worker !== name)) throw verifyFailed(`a version record of Worker "${name}" names another Worker`, 'state.json');
    if (chain.length !== w.versions.length) throw verifyFailed(`Worker "${name}" has ${chain.length} versions after the upgrade, ${w.versions.length} before`, 'state.json');
    for (const v of w.versions) {
      const r = byId.get(v.id);
      if (!r || !sameVersion(v, r)) throw verifyFailed(`version ${v.id} of Worker "${name}" differs after the upgrade`, 'state.json');
      for (const b of r.bindings) {
        if (b.type !== 'secret_text') continue;
        const blob = b.blob ? await store.readBlob(b.blob) : undefined;
        const value = b.blob && blob && openBlob(key, name, b.name, b.blob, blob);
        if (value !== plain.get(`${v.id}\0${b.name}`)) throw verifyFailed(`secret "${b.name}" of version ${v.number} of Worker "${name}" differs after the upgrade`, 'state.json');
      }
    }
    const deps = await store.deploymentChain(hw.live, Infinity, `Worker "${name}"`);
    const want = [...w.deployments].reverse();
    if (deps.length !== want.length || deps.some((d, i) => JSON.stringify(pickDeployment(d)) !== JSON.stringify(pickDeployment(want[i])))) {
      throw verifyFailed(`the deployments of Worker "${name}" differ after the upgrade`, 'state.json');
    }
  }
}

/**
 * Test-only (docs/STORE.md): MYCLI_TEST_KILL_IN_UPGRADE=1 kills this process (SIGKILL) just
 * before an upgrade's commit, under the lock, every record and blob already written and checked.
 */
function testKill(env: Record<string, string | undefined>): void {
  if (env.MYCLI_TEST_KILL_IN_UPGRADE === '1') process.kill(process.pid, 'SIGKILL');
}

/**
 * The uid of an upgraded Worker: derived from state.json, so an upgrade done again after an
 * interruption names the same uid as the records the first attempt left (immutable files are
 * never rewritten: a new random uid would make those records another Worker's).
 */
function upgradeUid(legacyText: string, name: string): string {
  const h = createHash('sha256').update('mycli format-1 upgrade\0').update(legacyText).update('\0').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function sameVersion(v: V1Version, r: VersionRecord): boolean {
  const fields = ['id', 'number', 'createdOn', 'author', 'source', 'message', 'tag', 'scriptHash', 'mainModule'] as const;
  if (fields.some((f) => v[f] !== r[f])) return false;
  if (v.bindings.length !== r.bindings.length) return false;
  return v.bindings.every((b, i) => {
    const n = r.bindings[i];
    if (b.type !== n.type || b.name !== n.name) return false;
    if (b.type === 'secret_text') return true; // values compared separately
    return JSON.stringify(b) === JSON.stringify(n);
  });
}

function pickDeployment(d: V1Deployment): unknown {
  return [d.id, d.createdOn, d.author, d.source, d.message, d.versions.map((v) => [v.versionId, v.percentage])];
}

function verifyFailed(what: string, file: string): OperationError {
  return new OperationError(`upgrading the local store failed its check: ${what}`, {
    hint: `${file} was left as it was and is still the store; please report this`,
  });
}

// ---- the Secrets Store's own file (format 1) ------------------------------------------------------

interface V1StoreSecret {
  id: string;
  name: string;
  scopes: string[];
  comment: string;
  created: string;
  modified: string;
  sealed: Sealed;
}

interface V1Store {
  id: string;
  name: string;
  created: string;
  modified: string;
  secrets: V1StoreSecret[];
}

export interface V1SecretsStore {
  format: 1;
  keyCheck?: Sealed;
  stores: V1Store[];
}

/** Associated data of a format-1 Secrets Store value: its store and secret ids. */
const v1StoreAad = (storeId: string, secretId: string) => `mycli/secrets-store/v1\0${storeId}\0${secretId}`;

const allStrings = (o: object, ...keys: string[]) => keys.every((k) => typeof (o as Record<string, unknown>)[k] === 'string');

function storeFileDamaged(file: string, why: string): OperationError {
  return new OperationError(`the local Secrets Store ${file} is damaged and cannot be read (${why})`, {
    hint: 'it was left untouched; restore it from a backup, or move it aside to start an empty Secrets Store',
  });
}

/**
 * The Secrets Store's format-1 file of the store in `dir`, read (through a symbolic link, if it
 * is one) and checked whole; undefined when there is none to upgrade (no file, or the marker an
 * upgrade leaves). Also how a read-only use reads a Secrets Store not upgraded yet.
 */
export async function readLegacySecretsStore(dir: string): Promise<V1SecretsStore | undefined> {
  const file = join(dir, LEGACY_SECRETS_STORE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (!(await lstat(file).catch(() => undefined))?.isSymbolicLink()) return undefined;
      const why = await realpath(file).then(() => code, (err: NodeJS.ErrnoException) => err.code);
      throw new OperationError(`the local Secrets Store ${file} is a symbolic link to a file that cannot be reached (${why})`, {
        hint: 'restore the file it points to (then mycli moves its secrets into the store folder), or remove the link to start an empty Secrets Store; nothing was changed',
      });
    }
    throw new OperationError(`cannot read the local Secrets Store ${file} (${code})`);
  }
  let data: V1SecretsStore;
  try {
    data = JSON.parse(text) as V1SecretsStore;
  } catch (e) {
    throw storeFileDamaged(file, (e as Error).message);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw storeFileDamaged(file, 'it does not hold a mycli Secrets Store');
  if ((data as { format: unknown }).format === 2 && typeof (data as { upgraded?: unknown }).upgraded === 'string') return undefined;
  if (!Array.isArray(data.stores)) throw storeFileDamaged(file, 'it does not hold a mycli Secrets Store');
  if (data.format !== 1) {
    throw new OperationError(`the local Secrets Store ${file} has format ${String(data.format)}, which this mycli does not know`, { hint: 'upgrade mycli; the file was left untouched' });
  }
  // Every entry is checked whole: a damaged file is named and left as it is.
  if (data.keyCheck !== undefined && !isSealed(data.keyCheck)) throw storeFileDamaged(file, 'its key check is incomplete');
  for (const s of data.stores) {
    if (!s || typeof s !== 'object' || !allStrings(s, 'id', 'name', 'created', 'modified') || !ID.test(s.id) || !Array.isArray(s.secrets)) throw storeFileDamaged(file, 'a store entry is incomplete');
    for (const x of s.secrets) {
      if (!x || typeof x !== 'object' || !allStrings(x, 'id', 'name', 'comment', 'created', 'modified') || !Array.isArray(x.scopes) || !x.scopes.every((c) => typeof c === 'string') || !isSealed(x.sealed)) {
        throw storeFileDamaged(file, `a secret entry of store ${s.id} is incomplete`);
      }
    }
  }
  return data;
}

/**
 * Move the Secrets Store's format-1 file of `store` into the log, if it has one that is not
 * upgraded yet. The key must fit the file (exit 4 otherwise, untouched); ids, names, scopes,
 * comments and times are kept; every value is opened with the old scheme and sealed as a blob.
 */
export async function upgradeSecretsStore(store: LocalStore, key: () => Buffer, env: Record<string, string | undefined>): Promise<void> {
  const file = join(store.dir, LEGACY_SECRETS_STORE);
  let legacy: V1SecretsStore | undefined;
  let k: Buffer | undefined;
  const plain = new Map<string, string>(); // secret id -> value, to verify
  try {
    // Upgraded already (the usual case once it is done): no lock, no commit, for reads too.
    if (!(await store.readHead()).stores) await store.change(
      async (tx) => {
        legacy = undefined;
        plain.clear();
        if (tx.head.stores) return; // upgraded already (by another process), or never had the file
        legacy = await readLegacySecretsStore(store.dir);
        if (!legacy) return;
        k = key();
        assertKeyFits(k, legacy.keyCheck, `the Secrets Store ${file}`);
        tx.useKey(k);
        tx.stores();
        for (const st of legacy.stores) {
          tx.addStore(st.id, st.name, st.created);
          const secrets: StoreSecret[] = st.secrets.map((x) => {
            const value = open(k!, x.sealed, v1StoreAad(st.id, x.id));
            if (value === undefined) {
              throw new AuthError(`cannot decrypt secret "${x.name}" of store "${st.name}" while upgrading the local Secrets Store ${file}`, {
                hint: 'it was written with another key (MYCLI_LOCAL_KEY or the key file); nothing was changed',
              });
            }
            plain.set(x.id, value);
            const blob = storeBlobName(k!, st.id, x.id, value);
            tx.putBlob(blob, () => sealStoreBlob(k!, st.id, x.id, blob, value), (b) => openStoreBlob(k!, st.id, x.id, blob, b) === value);
            return { id: x.id, name: x.name, scopes: [...x.scopes], comment: x.comment, created: x.created, modified: x.modified, blob };
          });
          tx.setSecrets(st.id, secrets, st.modified);
        }
        tx.dirty = true; // a file with no stores is upgraded too: the head's (empty) `stores` says so
      },
      {
        beforeCommit: async (tx) => {
          if (!legacy) return;
          await verifySecretsStore(store, tx.head, legacy, k!, plain, file);
          testKill(env);
        },
      },
    );
  } catch (e) {
    throw upgradeFailed(`the Secrets Store of the local store ${store.dir}`, file, e);
  }
  // Committed (by this process or another): the old file becomes the marker older mycli refuse.
  // A symbolic link is replaced by it (the file it pointed to is left as it was).
  if ((await store.readHead()).stores && (await readLegacySecretsStore(store.dir).catch(() => undefined))) {
    const { writeAtomic } = await import('./durable.js');
    const marker = { format: 2, upgraded: new Date().toISOString(), note: 'the Secrets Store now lives in this folder\'s log (docs/STORE.md); this file only stops older mycli versions from starting an empty one' };
    await writeAtomic(file, JSON.stringify(marker) + '\n').catch(() => undefined);
  }
}

async function verifySecretsStore(store: LocalStore, head: Head, legacy: V1SecretsStore, key: Buffer, plain: Map<string, string>, file: string): Promise<void> {
  const stores = head.stores ?? {};
  if (Object.keys(stores).length !== legacy.stores.length) throw verifyFailed('the number of stores differs after the upgrade', file);
  for (const st of legacy.stores) {
    const hs = stores[st.id];
    if (!hs || hs.name !== st.name || hs.created !== st.created || hs.modified !== st.modified || hs.secrets !== st.secrets.length) throw verifyFailed(`store "${st.name}" differs after the upgrade`, file);
    if (!hs.record) continue;
    const text = await readFile(store.secretsRecordPath(hs.record), 'utf8');
    const rec = JSON.parse(text) as { storeId: string; secrets: StoreSecret[] };
    if (rec.storeId !== st.id || rec.secrets.length !== st.secrets.length) throw verifyFailed(`the secrets of store "${st.name}" differ after the upgrade`, file);
    for (const [i, x] of st.secrets.entries()) {
      const n = rec.secrets[i];
      const same = n.id === x.id && n.name === x.name && n.comment === x.comment && n.created === x.created && n.modified === x.modified && JSON.stringify(n.scopes) === JSON.stringify(x.scopes);
      const blob = same ? await store.readBlob(n.blob) : undefined;
      if (!same || !blob || openStoreBlob(key, st.id, x.id, n.blob, blob) !== plain.get(x.id)) throw verifyFailed(`secret "${x.name}" of store "${st.name}" differs after the upgrade`, file);
    }
  }
}
