/**
 * AES-256-GCM for secret values at rest: a fresh 96-bit nonce per value, and the Worker, secret
 * name and version id bound in as associated data, so a ciphertext moved to another secret,
 * version or Worker fails to decrypt instead of yielding a wrong value.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

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
