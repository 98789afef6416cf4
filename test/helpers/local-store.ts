/**
 * Test-only: read back what the local backend stored, to prove values are byte-exact and
 * encrypted. Reads `.mycli/state.json` and decrypts with the project's test key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, secretAad, type Sealed } from '../../src/backends/local/crypto.js';
import type { Project } from './cli.js';

interface RawBinding {
  type: string;
  name: string;
  sealed?: Sealed;
  [k: string]: unknown;
}
interface RawVersion {
  id: string;
  number: number;
  bindings: RawBinding[];
}
interface RawWorker {
  versions: RawVersion[];
  deployments: { id: string; versions: { versionId: string; percentage: number }[] }[];
}

export function stateFile(p: Project): string {
  return join(p.dir, '.mycli', 'state.json');
}

export function storeExists(p: Project): boolean {
  return existsSync(join(p.dir, '.mycli'));
}

/** The raw state text (to check that no value is on disk in plain text). */
export function rawState(p: Project): string {
  return existsSync(stateFile(p)) ? readFileSync(stateFile(p), 'utf8') : '';
}

/** A fingerprint of the whole store, to assert that a refused command changed nothing. */
export function snapshot(p: Project): string {
  return rawState(p);
}

export function readWorker(p: Project, worker = 'my-worker'): RawWorker | undefined {
  const text = rawState(p);
  if (!text) return undefined;
  return (JSON.parse(text) as { workers: Record<string, RawWorker> }).workers[worker];
}

/** The decrypted value of secret `name` in version `versionId` (default: the latest version). */
export function secretValue(p: Project, name: string, o: { worker?: string; versionId?: string } = {}): string | undefined {
  const worker = o.worker ?? 'my-worker';
  const w = readWorker(p, worker);
  if (!w) return undefined;
  const version = o.versionId
    ? w.versions.find((v) => v.id === o.versionId)
    : w.versions.reduce<RawVersion | undefined>((a, v) => (!a || v.number > a.number ? v : a), undefined);
  const b = version?.bindings.find((x) => x.type === 'secret_text' && x.name === name);
  if (!version || !b?.sealed) return undefined;
  const key = Buffer.from(p.env.MYCLI_LOCAL_KEY, 'hex');
  const plain = open(key, b.sealed, secretAad(worker, name, version.id));
  if (plain === undefined) throw new Error(`cannot decrypt ${name} of version ${version.id}`);
  return plain;
}
