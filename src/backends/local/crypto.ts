/**
 * AES-256-GCM for secret values at rest: a fresh 96-bit nonce per value, and the Worker, secret
 * name and version id bound in as associated data, so a ciphertext moved to another secret,
 * version or Worker fails to decrypt instead of yielding a wrong value.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Returns undefined when the key or the associated data does not fit. */
export function open(key: Buffer, sealed: Sealed, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function secretAad(worker: string, name: string, versionId: string): string {
  return `mycli/v1\0${worker}\0${name}\0${versionId}`;
}

export const KEY_CHECK_AAD = 'mycli/v1\0key-check';
export const KEY_CHECK_TEXT = 'mycli local store key check';

/** Whether `key` opens the store's key check (the one check of "this is the store's key"). */
export function keyFits(key: Buffer, check: Sealed): boolean {
  return open(key, check, KEY_CHECK_AAD) === KEY_CHECK_TEXT;
}

export function sealKeyCheck(key: Buffer): Sealed {
  return seal(key, KEY_CHECK_TEXT, KEY_CHECK_AAD);
}

// ---- format 2: secret values as content-addressed blobs ----------------------------------------

const macKeys = new Map<string, WeakMap<Buffer, Buffer>>();

/** A key derived from the store key for one kind of blob name (Worker secrets, Secrets Store). */
function macKey(key: Buffer, label: string): Buffer {
  let byKey = macKeys.get(label);
  if (!byKey) macKeys.set(label, (byKey = new WeakMap()));
  let k = byKey.get(key);
  if (!k) byKey.set(key, (k = createHmac('sha256', key).update(label).digest()));
  return k;
}

/**
 * The name of the blob holding `value` of secret `name` of `worker`: a keyed hash (HMAC-SHA256
 * with a key derived from the store key), so equal values share one blob while the name tells
 * nothing about the value to someone without the key.
 */
export function blobName(key: Buffer, worker: string, name: string, value: string): string {
  return createHmac('sha256', macKey(key, 'mycli/v2 blob names')).update(`${worker}\0${name}\0`).update(value, 'utf8').digest('hex');
}

function blobAad(worker: string, name: string, hash: string): Buffer {
  return Buffer.from(`mycli/v2\0secret\0${worker}\0${name}\0${hash}`, 'utf8');
}

/** nonce (12) | tag (16) | ciphertext, sealed with `aad`. */
function sealWith(key: Buffer, aad: Buffer, value: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

function openWith(key: Buffer, aad: Buffer, blob: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAAD(aad);
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** nonce (12) | tag (16) | ciphertext, with Worker, secret name and blob name as associated data. */
export function sealBlob(key: Buffer, worker: string, name: string, hash: string, value: string): Buffer {
  return sealWith(key, blobAad(worker, name, hash), value);
}

export function openBlob(key: Buffer, worker: string, name: string, hash: string, blob: Buffer): string | undefined {
  return openWith(key, blobAad(worker, name, hash), blob);
}

// ---- the Secrets Store's values: blobs too, bound to their store and secret ids --------------------

/** The name of the blob holding `value` of Secrets Store secret `secretId` of store `storeId` (its own derived key). */
export function storeBlobName(key: Buffer, storeId: string, secretId: string, value: string): string {
  return createHmac('sha256', macKey(key, 'mycli/v2 secrets-store blob names')).update(`${storeId}\0${secretId}\0`).update(value, 'utf8').digest('hex');
}

function storeBlobAad(storeId: string, secretId: string, hash: string): Buffer {
  return Buffer.from(`mycli/v2\0secrets-store\0${storeId}\0${secretId}\0${hash}`, 'utf8');
}

export function sealStoreBlob(key: Buffer, storeId: string, secretId: string, hash: string, value: string): Buffer {
  return sealWith(key, storeBlobAad(storeId, secretId, hash), value);
}

export function openStoreBlob(key: Buffer, storeId: string, secretId: string, hash: string, blob: Buffer): string | undefined {
  return openWith(key, storeBlobAad(storeId, secretId, hash), blob);
}
