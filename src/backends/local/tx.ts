/**
 * One change being prepared (docs/STORE.md, "Writing"): a copy of the head to change, the
 * records it adds and the files that hold them. Nothing here touches the log: LocalStore.change()
 * writes `files` (immutable) and then commits `head` as the next generation.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { OperationError } from '../../errors.js';
import { sealKeyCheck, type Sealed } from './crypto.js';
import { assertKeyFits } from './key.js';
import {
  damaged,
  type DeploymentFields,
  type DeploymentRecord,
  type Head,
  type HeadStore,
  type HeadWorker,
  type SecretsRecord,
  type StoreSecret,
  type VersionFields,
  type VersionRecord,
} from './format.js';

/** Where the files of new records go (the LocalStore). */
export interface StorePaths {
  versionPath(id: string): string;
  deploymentPath(id: string): string;
  secretsRecordPath(id: string): string;
  blobPath(hash: string): string;
}

/** One change being prepared: a copy of the head to change, and the files it adds. */
export class Tx {
  readonly head: Head;
  readonly gen: number;
  readonly created: string[] = [];
  /** The version records this change adds. */
  readonly versions: VersionRecord[] = [];
  /** The Secrets Store records this change adds. */
  readonly secretsRecords: SecretsRecord[] = [];
  readonly files: { path: string; data: string | Uint8Array }[] = [];
  /**
   * Every file the commit names and this change wrote or reuses (records, blobs, the module),
   * with how to write it again: under the lock, just before the commit, one removed meanwhile
   * (by `mycli store gc`, which removes unreachable files under the same lock) is written again.
   */
  readonly required: { path: string; data: string | Uint8Array | (() => Buffer) }[] = [];
  dirty = false;

  constructor(
    private readonly paths: StorePaths,
    read: Head,
  ) {
    this.head = structuredClone(read);
    delete this.head.created;
    this.gen = read.generation + 1;
  }

  worker(name: string): HeadWorker | undefined {
    return Object.prototype.hasOwnProperty.call(this.head.workers, name) ? this.head.workers[name] : undefined;
  }

  createWorker(name: string): HeadWorker {
    const w: HeadWorker = { uid: randomUUID(), createdOn: new Date().toISOString(), versions: 0, deployments: 0 };
    this.head.workers[name] = w;
    this.dirty = true;
    return w;
  }

  deleteWorker(name: string): void {
    delete this.head.workers[name];
    this.dirty = true;
  }

  addVersion(name: string, fields: VersionFields): VersionRecord {
    const w = this.worker(name)!;
    const rec: VersionRecord = {
      ...fields,
      id: fields.id ?? randomUUID(),
      worker: name,
      workerUid: w.uid,
      number: w.versions + 1,
      parent: w.latest,
      gen: this.gen,
    };
    w.versions = rec.number;
    w.latest = rec.id;
    this.versions.push(rec);
    this.created.push(rec.id);
    this.files.push({ path: this.paths.versionPath(rec.id), data: JSON.stringify(rec) });
    this.dirty = true;
    return rec;
  }

  addDeployment(name: string, fields: DeploymentFields): DeploymentRecord {
    const w = this.worker(name)!;
    const rec: DeploymentRecord = { ...fields, id: fields.id ?? randomUUID(), worker: name, workerUid: w.uid, parent: w.live, gen: this.gen };
    w.deployments += 1;
    w.live = rec.id;
    this.created.push(rec.id);
    this.files.push({ path: this.paths.deploymentPath(rec.id), data: JSON.stringify(rec) });
    this.dirty = true;
    return rec;
  }

  /**
   * A secret blob: sealed and written only when no blob of that name exists yet. A blob that
   * exists is reused only when `holds` says it opens to the value being put: a truncated or
   * garbled blob can never be replaced (immutable), and a new version naming it would lose the
   * value the user just gave, with exit 0. It is named as damage instead.
   */
  putBlob(hash: string, seal: () => Buffer, holds: (blob: Buffer) => boolean): void {
    const path = this.paths.blobPath(hash);
    if (this.files.some((f) => f.path === path)) return;
    let existing: Buffer;
    try {
      existing = readFileSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw damaged(`cannot read the blob ${path} (${(e as NodeJS.ErrnoException).code})`, path);
      this.files.push({ path, data: seal() });
      return;
    }
    this.required.push({ path, data: seal });
    if (!holds(existing)) {
      throw new OperationError(`the local store is damaged: the blob ${path} does not open to the value it names (truncated or changed)`, {
        hint: 'nothing was committed; restore that file from a backup, or remove it and put the value again (the versions already naming it stay unreadable)',
      });
    }
  }

  /** A file written before the change (a main module) that its commit names. */
  require(path: string, data: string | Uint8Array): void {
    this.required.push({ path, data });
  }

  setKeyCheck(sealed: Sealed): void {
    this.head.keyCheck = sealed;
    this.dirty = true;
  }

  /** The change seals with `key`: it must fit the store's key check (exit 4), or becomes it in a new store. */
  useKey(key: Buffer): void {
    if (this.head.keyCheck) assertKeyFits(key, this.head.keyCheck);
    else this.setKeyCheck(sealKeyCheck(key));
  }

  // ---- the Secrets Store ----------------------------------------------------------------------

  /** The stores of the Secrets Store (made empty by the first change that touches it). */
  stores(): Record<string, HeadStore> {
    return (this.head.stores ??= {});
  }

  store(id: string): HeadStore | undefined {
    const stores = this.stores();
    return Object.prototype.hasOwnProperty.call(stores, id) ? stores[id] : undefined;
  }

  addStore(id: string, name: string, now: string): HeadStore {
    const st: HeadStore = { name, created: now, modified: now, secrets: 0 };
    this.stores()[id] = st;
    this.dirty = true;
    return st;
  }

  deleteStore(id: string): void {
    delete this.stores()[id];
    this.dirty = true;
  }

  /** Store `storeId` now holds `secrets`: a new record (none when empty), named by the head. */
  setSecrets(storeId: string, secrets: StoreSecret[], modified: string): void {
    const st = this.store(storeId)!;
    st.secrets = secrets.length;
    st.modified = modified;
    delete st.record;
    if (secrets.length) {
      const rec: SecretsRecord = { id: randomUUID(), storeId, gen: this.gen, secrets };
      st.record = rec.id;
      this.secretsRecords.push(rec);
      this.created.push(rec.id);
      this.files.push({ path: this.paths.secretsRecordPath(rec.id), data: JSON.stringify(rec) });
    }
    this.dirty = true;
  }
}
