/**
 * Upgrade of a format-1 store (`.mycli/state.json`, one JSON file re-sealing every secret of every
 * version) to format 2, under the lock, losslessly: every Worker, version (id, number, time,
 * author, source, message, tag, script, bindings), deployment and secret value. The new store is
 * written beside the old file and read back and compared in full before it is committed; only
 * then is state.json removed. A crash before the commit leaves state.json the store; after it,
 * the new one. A state.json that decrypts but is inconsistent is refused as damaged, untouched.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { AuthError, OperationError } from '../../errors.js';
import { blobName, KEY_CHECK_AAD, KEY_CHECK_TEXT, open, openBlob, seal, sealBlob, secretAad, type Sealed } from './crypto.js';
import { acquireLock, lockTimeoutMs } from './lock.js';
import { writeAtomic, writeImmutable, syncDir } from './durable.js';
import { damaged, ID, type DeploymentRecord, type Head, type StoredBinding, type VersionRecord } from './format.js';
import { Tx, type StorePaths } from './tx.js';

/**
 * What the migration reads of the store. Declared here, not imported from store.ts: store.ts
 * imports this module (lazily), and an import back, even of a type, would make a cycle.
 */
export interface MigratedStore extends StorePaths {
  readonly dir: string;
  readonly headFile: string;
  readonly legacyFile: string;
  logPath(gen: number): string;
  versionChain(from: string | undefined, limit: number, by: string): Promise<VersionRecord[]>;
  deploymentChain(from: string | undefined, limit: number, by: string): Promise<DeploymentRecord[]>;
  readBlob(hash: string): Promise<Buffer | undefined>;
  newestLogEntry(): Promise<Head | undefined>;
  writeNumbers(versions: VersionRecord[]): Promise<void>;
}

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

export async function migrateFormat1(store: MigratedStore, key: Buffer, env: Record<string, string | undefined>): Promise<void> {
  const release = await acquireLock(`${store.dir}/lock`, lockTimeoutMs(env));
  try {
    // Another process upgraded it meanwhile. (A log/ folder without an entry is an upgrade that
    // was interrupted before its commit: done again here, from state.json, which is still whole.)
    if (existsSync(store.headFile) || (await store.newestLogEntry())) return;
    await upgrade(store, key, env);
  } catch (e) {
    throw upgradeFailed(store, e);
  } finally {
    await release();
  }
}

/** A failure to write or read while upgrading, named with the store (exit 1); the mycli errors as they are. */
function upgradeFailed(store: MigratedStore, e: unknown): unknown {
  if (!(e instanceof Error) || !('code' in e) || typeof (e as NodeJS.ErrnoException).code !== 'string' || !(e as NodeJS.ErrnoException).syscall) return e;
  const err = e as NodeJS.ErrnoException;
  return new OperationError(`cannot upgrade the local store ${store.dir} to format 2 (${err.code}: ${err.syscall} failed); nothing was committed`, {
    hint: `${store.legacyFile} was left as it was and is still the store; ${
      err.code === 'ENOSPC' || err.code === 'EFBIG' || err.code === 'EDQUOT' ? 'free some disk space' : 'check the permissions of that folder'
    } and run the command again: the upgrade starts over`,
  });
}

async function upgrade(store: MigratedStore, key: Buffer, env: Record<string, string | undefined>): Promise<void> {
  let text: string;
  try {
    text = await readFile(store.legacyFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OperationError(`cannot read the local store ${store.legacyFile} (${(e as NodeJS.ErrnoException).code})`);
  }
  let state: V1State;
  try {
    state = JSON.parse(text) as V1State;
  } catch (e) {
    throw damaged(`${store.legacyFile} is not valid JSON (${(e as Error).message})`, store.legacyFile);
  }
  if (isObj(state) && state.format !== 1) {
    throw new OperationError(`the local store ${store.legacyFile} has format ${String(state.format)}, which this mycli does not know`, {
      hint: 'upgrade mycli; the file was left untouched',
    });
  }
  const problem = checkFormat1(state);
  if (problem) throw damaged(problem, store.legacyFile);
  if (state.keyCheck && open(key, state.keyCheck, KEY_CHECK_AAD) !== KEY_CHECK_TEXT) {
    throw new AuthError('the local store key does not fit this store: it was written with another key', {
      hint: 'set MYCLI_LOCAL_KEY to the key the store was made with (or restore the key file); nothing was changed',
    });
  }

  // Build generation 1 holding the whole history.
  const tx = new Tx(store, { format: 2, generation: 0, workers: {} });
  tx.setKeyCheck(state.keyCheck ?? seal(key, KEY_CHECK_TEXT, KEY_CHECK_AAD));
  const plain = new Map<string, string>(); // `${version id}\0${name}` -> value, to verify
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
  // Write the records and blobs (not yet visible: no log entry names them).
  const dirs = new Set<string>();
  for (const f of tx.files) {
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    if (!dirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      dirs.add(dir);
    }
    await writeImmutable(f.path, f.data);
  }
  await Promise.all([...dirs].map((d) => syncDir(d)));

  // Verify: read every record and blob back from disk and compare with state.json.
  const head = { ...tx.head, generation: 1, created: tx.created };
  for (const [name, w] of Object.entries(state.workers)) {
    const hw = head.workers[name];
    const chain = await store.versionChain(hw.latest, Infinity, `Worker "${name}"`);
    const byId = new Map(chain.map((r) => [r.id, r]));
    if (chain.some((r) => r.workerUid !== hw.uid || r.worker !== name)) throw verifyFailed(`a version record of Worker "${name}" names another Worker`);
    if (chain.length !== w.versions.length) throw verifyFailed(`Worker "${name}" has ${chain.length} versions after the upgrade, ${w.versions.length} before`);
    for (const v of w.versions) {
      const r = byId.get(v.id);
      if (!r || !sameVersion(v, r)) throw verifyFailed(`version ${v.id} of Worker "${name}" differs after the upgrade`);
      for (const b of r.bindings) {
        if (b.type !== 'secret_text') continue;
        const blob = b.blob ? await store.readBlob(b.blob) : undefined;
        const value = b.blob && blob && openBlob(key, name, b.name, b.blob, blob);
        if (value !== plain.get(`${v.id}\0${b.name}`)) throw verifyFailed(`secret "${b.name}" of version ${v.number} of Worker "${name}" differs after the upgrade`);
      }
    }
    const deps = await store.deploymentChain(hw.live, Infinity, `Worker "${name}"`);
    const want = [...w.deployments].reverse();
    if (deps.length !== want.length || deps.some((d, i) => JSON.stringify(pickDeployment(d)) !== JSON.stringify(pickDeployment(want[i])))) {
      throw verifyFailed(`the deployments of Worker "${name}" differ after the upgrade`);
    }
  }

  // Commit generation 1, then drop the old file (kept until here as the backup).
  await mkdir(`${store.dir}/log`, { recursive: true, mode: 0o700 });
  testKill(env);
  const textHead = JSON.stringify(head) + '\n';
  if (!(await writeImmutable(store.logPath(1), textHead))) return; // someone else committed first
  await syncDir(`${store.dir}/log`);
  await writeAtomic(store.headFile, textHead).catch(() => undefined); // a hint: readers follow the log
  await store.writeNumbers(tx.versions);
  await unlink(store.legacyFile).catch(() => undefined);
}

/**
 * Test-only (docs/STORE.md): MYCLI_TEST_KILL_IN_UPGRADE=1 kills this process (SIGKILL) in the gap
 * between creating log/ and linking its first entry, every record and blob already written.
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

function verifyFailed(what: string): OperationError {
  return new OperationError(`upgrading the local store failed its check: ${what}`, {
    hint: 'state.json was left as it was and is still the store; please report this',
  });
}
