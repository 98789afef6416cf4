/**
 * Test-only: read back what the local backend stored, to prove values are byte-exact and
 * encrypted. Reads the files of `.mycli/` (store-reader.ts) and decrypts with the project's key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from './cli.js';
import { decryptBinding, fingerprint, readStore, type ReadVersion, type ReadWorker } from './store-reader.js';

export function storeDir(p: Project): string {
  return join(p.dir, '.mycli');
}

export function storeExists(p: Project): boolean {
  return existsSync(storeDir(p));
}

/** The store's HEAD file (format 2). */
export function headFile(p: Project): string {
  return join(storeDir(p), 'HEAD');
}

/** The path of a format-1 store file (state.json, as mycli wrote it before format 2). */
export function stateFile(p: Project): string {
  return join(storeDir(p), 'state.json');
}

/** Every byte of every file of the store (to check that no value is on disk in plain text). */
export function rawState(p: Project): string {
  return filesUnder(storeDir(p)).map((f) => readFileSync(f, 'latin1')).join('\n');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A fingerprint of the whole store, to assert that a refused command changed nothing. */
export function snapshot(p: Project): string {
  return fingerprint(storeDir(p));
}

export function readWorker(p: Project, worker = 'my-worker'): ReadWorker | undefined {
  return readStore(storeDir(p))?.workers[worker];
}

/** The decrypted value of secret `name` in version `versionId` (default: the latest version). */
export function secretValue(p: Project, name: string, o: { worker?: string; versionId?: string } = {}): string | undefined {
  const worker = o.worker ?? 'my-worker';
  const w = readWorker(p, worker);
  if (!w) return undefined;
  const version: ReadVersion | undefined = o.versionId ? w.versions.find((v) => v.id === o.versionId) : w.versions[w.versions.length - 1];
  const b = version?.bindings.find((x) => x.type === 'secret_text' && x.name === name);
  if (!version || !b?.blob) return undefined;
  const key = Buffer.from(p.env.MYCLI_LOCAL_KEY, 'hex');
  return decryptBinding(storeDir(p), key, worker, b);
}
