/**
 * `mycli store gc` (docs/STORE.md, "Garbage"): removes what no committed head reaches — records
 * and blobs of writers that lost a race or died, of deleted Workers, modules no version names,
 * number-index folders of deleted Workers, superseded Secrets Store records and the blobs only they
 * named (the Secrets Store keeps no history) — and temp files of dead writers.
 *
 * Safe beside live writers, by this rule: gc runs under the store's lock and removes only files
 * unreachable from the head it reads under that lock (and older than the grace period, so that
 * work in progress is left alone); a writer, under the same lock just before its commit, writes
 * again any file its commit names that is gone (LocalStore.change → restoreRequired). So every
 * file a committed entry names existed at its commit, and a gc removes only what no committed
 * head names. The log is never collected (readers check committed records against it).
 */
import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalStore } from './store.js';

export interface GcReport {
  store: string;
  generation: number;
  /** What was removed (or, with dryRun, would be), by kind. */
  /** `secrets`: superseded Secrets Store records (the blobs only they named count as blobs). */
  removed: { versions: number; deployments: number; secrets: number; blobs: number; modules: number; index: number; temp: number };
  bytes: number;
  dryRun: boolean;
}

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

export async function collectGarbage(store: LocalStore, o: { graceMs: number; dryRun?: boolean; timeoutMs: number }): Promise<GcReport> {
  const { acquireLock } = await import('./lock.js');
  const empty: GcReport = { store: store.dir, generation: 0, removed: { versions: 0, deployments: 0, secrets: 0, blobs: 0, modules: 0, index: 0, temp: 0 }, bytes: 0, dryRun: !!o.dryRun };
  if (!store.exists()) return empty;
  const release = await acquireLock(join(store.dir, 'lock'), o.timeoutMs);
  try {
    const head = await store.readHeadFromDisk();
    const report: GcReport = {
      store: store.dir,
      generation: head.generation,
      removed: { versions: 0, deployments: 0, secrets: 0, blobs: 0, modules: 0, index: 0, temp: 0 },
      bytes: 0,
      dryRun: !!o.dryRun,
    };
    // What the committed head reaches.
    const versions = new Set<string>();
    const deployments = new Set<string>();
    const blobs = new Set<string>();
    const modules = new Set<string>();
    const uids = new Set<string>();
    for (const [name, w] of Object.entries(head.workers)) {
      uids.add(w.uid);
      for (const v of await store.versionChain(w.latest, Infinity, `Worker "${name}"`)) {
        versions.add(v.id);
        if (v.mainModule) modules.add(v.mainModule);
        for (const b of v.bindings) if (b.type === 'secret_text' && b.blob) blobs.add(b.blob);
      }
      for (const d of await store.deploymentChain(w.live, Infinity, `Worker "${name}"`)) deployments.add(d.id);
    }
    // The Secrets Store keeps no history: only each store's current record and its blobs.
    const secrets = new Set<string>();
    for (const st of Object.values(head.stores ?? {})) {
      if (!st.record) continue;
      secrets.add(st.record);
      for (const x of (await store.secretsRecord(st.record, `Secrets Store store "${st.name}"`)).secrets) blobs.add(x.blob);
    }
    const cutoff = Date.now() - o.graceMs;
    const remove = async (path: string, kind: keyof GcReport['removed'], folder = false) => {
      const st = await lstat(path).catch(() => undefined);
      if (!st || st.mtimeMs > cutoff) return;
      report.removed[kind]++;
      report.bytes += folder ? 0 : st.size;
      if (o.dryRun) return;
      if (folder) await rm(path, { recursive: true, force: true });
      else await unlink(path).catch(() => undefined);
    };
    /** A temp file of a writer: only once its process is gone (it may be linking it right now). */
    const temp = async (dir: string, name: string) => {
      const m = TEMP.exec(name);
      if (!m) return false;
      if (!processGone(Number(m[1]))) return true;
      await remove(join(dir, name), 'temp');
      return true;
    };
    const list = (dir: string) => readdir(dir).catch(() => [] as string[]);

    for (const name of await list(store.dir)) await temp(store.dir, name);
    for (const [folder, kind, live] of [
      ['versions', 'versions', versions],
      ['deployments', 'deployments', deployments],
      ['secrets-store', 'secrets', secrets],
    ] as const) {
      const dir = join(store.dir, folder);
      for (const name of await list(dir)) {
        if (await temp(dir, name)) continue;
        if (name.endsWith('.json') && !live.has(name.slice(0, -5))) await remove(join(dir, name), kind);
      }
    }
    const objects = join(store.dir, 'objects');
    for (const sub of await list(objects)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of await list(join(objects, sub))) {
        if (await temp(join(objects, sub), name)) continue;
        if (!blobs.has(sub + name)) await remove(join(objects, sub, name), 'blobs');
      }
    }
    const mods = join(store.dir, 'modules');
    for (const name of await list(mods)) {
      if (await temp(mods, name)) continue;
      if (!modules.has(name)) await remove(join(mods, name), 'modules');
    }
    const numbers = join(store.dir, 'numbers');
    for (const uid of await list(numbers)) if (!uids.has(uid)) await remove(join(numbers, uid), 'index', true);
    const log = join(store.dir, 'log');
    for (const name of await list(log)) await temp(log, name);
    return report;
  } finally {
    await release();
  }
}

function processGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
