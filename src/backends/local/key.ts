/**
 * The local store's encryption key: `MYCLI_LOCAL_KEY` (64 hex digits, base64 of 32 bytes, or a
 * passphrase), else a key file in the user's config directory, created on first use with mode
 * 0600. Never inside the project.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuthError, OperationError } from '../../errors.js';
import { keyFits, type Sealed } from './crypto.js';

export function keyFilePath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'mycli', 'local.key');
}

export interface LoadedKey {
  key: Buffer;
  source: string;
  created: boolean;
  /** Set when the key file is readable or writable by others than its owner (to print once). */
  warning?: string;
}

/** A warning when the key file's mode lets others read or change it: anyone who reads it reads every stored secret. */
function modeWarning(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  return `the local store key file ${file} can be read by others (mode ${mode.toString(8).padStart(4, '0')}): anyone who reads it can decrypt the stored secrets; run chmod 600 ${file}`;
}

export function loadKey(env: Record<string, string | undefined>, create: boolean): LoadedKey | undefined {
  const fromEnv = env.MYCLI_LOCAL_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: keyFromString(fromEnv), source: 'MYCLI_LOCAL_KEY', created: false };
  const file = keyFilePath(env);
  const existing = readKeyFile(file);
  if (existing) return { key: existing, source: file, created: false, warning: modeWarning(file) };
  if (!create) return undefined;
  // Written whole to a temp file, then linked into place: a concurrent first use (or a crash)
  // never sees a half-written key file. link() fails with EEXIST if another process won.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let created = false;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    linkSync(tmp, file);
    created = true;
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new OperationError(`cannot create the local store key file ${file} (${(e as NodeJS.ErrnoException).code})`, {
        hint: 'set MYCLI_LOCAL_KEY, or make that folder writable',
      });
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
  }
  const key = readKeyFile(file);
  if (!key) throw new OperationError(`cannot read the local store key file ${file}`);
  return { key, source: file, created };
}

function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OperationError(`cannot read the local store key file ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new AuthError(`the local store key file ${file} is damaged (expected 32 bytes of base64)`, {
      hint: 'restore it from a backup; without it the stored secrets cannot be read',
    });
  }
  return key;
}

function keyFromString(value: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) {
    const b = Buffer.from(value, 'base64');
    if (b.length === 32) return b;
  }
  // A passphrase: stretch it. The salt is fixed so that the same passphrase opens the same store.
  return scryptSync(value, 'mycli-local-key/v1', 32, { N: 1 << 14, r: 8, p: 1 });
}

/**
 * The one check that `key` is the key a store (or a file of it) was written with: its sealed key
 * check must open. Otherwise exit 4, nothing changed (a wrong key would seal values no one can open).
 */
export function assertKeyFits(key: Buffer, check: Sealed | undefined, what = 'this store'): void {
  if (check === undefined || keyFits(key, check)) return;
  throw new AuthError(`the local store key does not fit ${what}: it was written with another key`, {
    hint: 'set MYCLI_LOCAL_KEY to the key the store was made with (or restore the key file); nothing was changed',
  });
}
