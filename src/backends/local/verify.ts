/**
 * `mycli store verify` (docs/STORE.md, "Checking a store"): reads the whole local store — every
 * Worker's versions and deployments from the head, and every blob they name, opened with the
 * key — and the Secrets Store's records and blobs, and lists what is wrong. Values are decrypted only to check that they open; none is kept
 * or shown. Nothing is written.
 */
import { readFile } from 'node:fs/promises';
import { openBlob, openStoreBlob } from './crypto.js';
import { assertKeyFits } from './key.js';
import { blobProblem, type LocalStore } from './store.js';
import type { VersionRecord } from './format.js';

export interface VerifyReport {
  /** The store folder. */
  store: string;
  generation: number;
  workers: number;
  versions: number;
  deployments: number;
  blobs: number;
  /** Secrets Store secrets (their blobs count in `blobs`). */
  storeSecrets: number;
  /** One line per thing found wrong (paths, names, ids; never a value). */
  problems: string[];
}

export async function verifyStore(store: LocalStore, key: Buffer | undefined): Promise<VerifyReport> {
  const head = await store.readHead();
  const report: VerifyReport = { store: store.dir, generation: head.generation, workers: 0, versions: 0, deployments: 0, blobs: 0, storeSecrets: 0, problems: [] };
  const problem = (line: string) => report.problems.push(line);
  // A wrong key is not damage to report: exit 4 with how to give the right one, as every command.
  if (key) assertKeyFits(key, head.keyCheck);
  const checked = new Set<string>();
  for (const [name, w] of Object.entries(head.workers)) {
    report.workers++;
    const W = `Worker "${name}"`;
    const versions = new Map<string, VersionRecord>();
    try {
      let id = w.latest;
      let expect = w.versions;
      while (id) {
        const rec = await store.readVersion(id);
        if (!rec) {
          problem(`${W}: version ${expect} (${id}) is missing: ${store.versionPath(id)}`);
          break;
        }
        if (rec.number !== expect || rec.workerUid !== w.uid) problem(`${W}: the record ${store.versionPath(id)} is not version ${expect} of this Worker`);
        versions.set(rec.id, rec);
        report.versions++;
        id = rec.parent;
        expect = rec.number - 1;
      }
      if (!id && expect > 0 && versions.size > 0) problem(`${W}: the history ends at version ${expect + 1}; versions 1 to ${expect} are not linked`);
    } catch (e) {
      problem(`${W}: ${(e as Error).message}`);
    }
    try {
      let id = w.live;
      while (id) {
        const d = await store.readDeployment(id);
        if (!d) {
          problem(`${W}: deployment ${id} is missing: ${store.deploymentPath(id)}`);
          break;
        }
        report.deployments++;
        for (const dv of d.versions) {
          if (!versions.has(dv.versionId)) problem(`${W}: deployment ${d.id} names version ${dv.versionId}, which is not in its history`);
        }
        id = d.parent;
      }
    } catch (e) {
      problem(`${W}: ${(e as Error).message}`);
    }
    for (const rec of versions.values()) {
      for (const b of rec.bindings) {
        if (b.type !== 'secret_text' || !b.blob || checked.has(b.blob)) continue;
        checked.add(b.blob);
        report.blobs++;
        const path = store.blobPath(b.blob);
        const wrong = await checkBlob(path, key && ((data) => openBlob(key!, name, b.name, b.blob!, data) !== undefined));
        if (wrong) problem(`the blob ${path} of secret "${b.name}" (version ${rec.number} of ${W}) ${wrong}`);
      }
    }
  }
  // The Secrets Store: each store's record, and every blob it names, opened with the key.
  for (const [id, st] of Object.entries(head.stores ?? {})) {
    if (!st.record) continue;
    const S = `Secrets Store store "${st.name}" (${id})`;
    let secrets;
    try {
      const rec = await store.secretsRecord(st.record, S);
      if (rec.storeId !== id || rec.secrets.length !== st.secrets) problem(`${S}: the record ${store.secretsRecordPath(st.record)} is not this store's (${st.secrets} secrets)`);
      secrets = rec.secrets;
    } catch (e) {
      problem(`${S}: ${(e as Error).message}`);
      continue;
    }
    for (const x of secrets) {
      report.storeSecrets++;
      report.blobs++;
      const path = store.blobPath(x.blob);
      const wrong = await checkBlob(path, key && ((data) => openStoreBlob(key!, id, x.id, x.blob, data) !== undefined));
      if (wrong) problem(`the blob ${path} of secret "${x.name}" of ${S} ${wrong}`);
    }
  }
  return report;
}

/**
 * What is wrong with the blob at `path` (missing, not a file, ...), or, given a way to open it with
 * the key, that it does not open; undefined when it is whole. One check for a Worker secret's blob
 * and a Secrets Store secret's.
 */
async function checkBlob(path: string, opens: ((data: Buffer) => boolean) | undefined): Promise<string | undefined> {
  const wrong = await blobProblem(path);
  if (wrong || !opens) return wrong;
  const data = await readFile(path).catch(() => undefined);
  return data && opens(data) ? undefined : 'does not open (truncated or changed)';
}
