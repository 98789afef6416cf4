/**
 * One change being prepared (docs/STORE.md, "Writing"): a copy of the head to change, the
 * records it adds and the files that hold them. Nothing here touches the log: LocalStore.change()
 * writes `files` (immutable) and then commits `head` as the next generation.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { OperationError } from '../../errors.js';
import type { Sealed } from './crypto.js';
import { damaged, type DeploymentFields, type DeploymentRecord, type Head, type HeadWorker, type VersionFields, type VersionRecord } from './format.js';

/** Where the files of new records go (the LocalStore). */
export interface StorePaths {
  versionPath(id: string): string;
  deploymentPath(id: string): string;
  blobPath(hash: string): string;
}

/** One change being prepared: a copy of the head to change, and the files it adds. */
export class Tx {
  readonly head: Head;
  readonly gen: number;
  readonly created: string[] = [];
  /** The version records this change adds. */
  readonly versions: VersionRecord[] = [];
  readonly files: { path: string; data: string | Uint8Array }[] = [];
  /**
   * Every file the commit names and this change wrote or reuses (records, blobs, the module),
   * with how to write it again: under the lock, just before the commit, one removed meanwhile
   * (by `mycli store gc`, which removes unreachable files under the same lock) is written again.
   */
  readonly required: { path: string; data: string | Uint8Array | (() => Buffer) }[] = [];
  dirty = false;

  constructor(
    private readonly store: StorePaths,
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
    this.files.push({ path: this.store.versionPath(rec.id), data: JSON.stringify(rec) });
    this.dirty = true;
    return rec;
  }

  addDeployment(name: string, fields: DeploymentFields): DeploymentRecord {
    const w = this.worker(name)!;
    const rec: DeploymentRecord = { ...fields, id: fields.id ?? randomUUID(), worker: name, workerUid: w.uid, parent: w.live, gen: this.gen };
    w.deployments += 1;
    w.live = rec.id;
    this.created.push(rec.id);
    this.files.push({ path: this.store.deploymentPath(rec.id), data: JSON.stringify(rec) });
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
    const path = this.store.blobPath(hash);
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
}
