/**
 * Test-only: read a format-2 local store straight from its files (not through src/backends/local
 * /store.ts), so tests check what is on disk: the head (HEAD, then the log past it), the version
 * and deployment chains, the encrypted blobs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBlob, openStoreBlob } from '../../src/backends/local/crypto.js';

export interface ReadBinding {
  type: string;
  name: string;
  blob?: string;
  [k: string]: unknown;
}
export interface ReadVersion {
  id: string;
  number: number;
  parent?: string;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  tag?: string;
  bindings: ReadBinding[];
}
export interface ReadDeployment {
  id: string;
  parent?: string;
  createdOn: string;
  source?: string;
  message?: string;
  versions: { versionId: string; percentage: number }[];
}
export interface ReadWorker {
  createdOn: string;
  /** Oldest first. */
  versions: ReadVersion[];
  /** Oldest first; the last is live. */
  deployments: ReadDeployment[];
}
export interface ReadState {
  format: number;
  generation: number;
  workers: Record<string, ReadWorker>;
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const logFile = (dir: string, g: number) => join(dir, 'log', `${String(g).padStart(10, '0')}.json`);

/** The committed head of the store in `dir` (the .mycli folder), or undefined when there is none. */
export function readHeadOf(dir: string): any | undefined {
  let head: any;
  if (existsSync(join(dir, 'HEAD'))) head = json(join(dir, 'HEAD'));
  else if (existsSync(join(dir, 'log'))) {
    const gens = readdirSync(join(dir, 'log')).filter((n) => /^\d+\.json$/.test(n)).map((n) => Number(n.slice(0, -5)));
    if (!gens.length) return undefined;
    head = json(logFile(dir, Math.max(...gens)));
  } else return undefined;
  while (existsSync(logFile(dir, head.generation + 1))) head = json(logFile(dir, head.generation + 1));
  return head;
}

export function readStore(dir: string): ReadState | undefined {
  const head = readHeadOf(dir);
  if (!head) return undefined;
  const workers: Record<string, ReadWorker> = {};
  for (const [name, w] of Object.entries<any>(head.workers)) {
    const versions: ReadVersion[] = [];
    for (let id = w.latest; id; ) {
      const v = json(join(dir, 'versions', `${id}.json`));
      versions.unshift(v);
      id = v.parent;
    }
    const deployments: ReadDeployment[] = [];
    for (let id = w.live; id; ) {
      const d = json(join(dir, 'deployments', `${id}.json`));
      deployments.unshift(d);
      id = d.parent;
    }
    workers[name] = { createdOn: w.createdOn, versions, deployments };
  }
  return { format: head.format, generation: head.generation, workers };
}

/** The decrypted value of a secret binding of `worker`. */
export function decryptBinding(dir: string, key: Buffer, worker: string, b: ReadBinding): string {
  const hash = b.blob!;
  const blob = readFileSync(join(dir, 'objects', hash.slice(0, 2), hash.slice(2)));
  const value = openBlob(key, worker, b.name, hash, blob);
  if (value === undefined) throw new Error(`cannot decrypt ${b.name} (blob ${hash})`);
  return value;
}

/** Every file of the store with its bytes, to prove a refused command changed nothing. */
export function fingerprint(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const full = join(d, n);
      if (n === 'lock') continue;
      try {
        out.push(`${full}\n${readFileSync(full).toString('latin1')}`);
      } catch {
        walk(full);
      }
    }
  };
  walk(dir);
  return out.join('\n');
}

export interface ReadStoreSecret {
  id: string;
  name: string;
  scopes: string[];
  comment: string;
  created: string;
  modified: string;
  blob: string;
}
export interface ReadSecretsStoreStore {
  id: string;
  name: string;
  created: string;
  modified: string;
  secrets: ReadStoreSecret[];
}

/** The Secrets Store as the committed head names it (stores, each store's record), or [] when it has none. */
export function readSecretsStore(dir: string): ReadSecretsStoreStore[] {
  const head = readHeadOf(dir);
  return Object.entries<any>(head?.stores ?? {}).map(([id, st]) => ({
    id,
    name: st.name,
    created: st.created,
    modified: st.modified,
    secrets: st.record ? json(join(dir, 'secrets-store', `${st.record}.json`)).secrets : [],
  }));
}

/** The decrypted value of a Secrets Store secret (by store and secret name), or undefined when it is not there. */
export function storeSecretValue(dir: string, key: Buffer, storeName: string, secretName: string): string | undefined {
  const store = readSecretsStore(dir).find((s) => s.name === storeName);
  const secret = store?.secrets.find((s) => s.name === secretName);
  if (!store || !secret) return undefined;
  const blob = readFileSync(join(dir, 'objects', secret.blob.slice(0, 2), secret.blob.slice(2)));
  const value = openStoreBlob(key, store.id, secret.id, secret.blob, blob);
  if (value === undefined) throw new Error(`cannot decrypt Secrets Store secret ${secretName} (blob ${secret.blob})`);
  return value;
}
