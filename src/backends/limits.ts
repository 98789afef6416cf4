/**
 * The one place where a secret change is checked against its backend's limits (Backend.limits;
 * Cloudflare's when a plugin declares none), before any write or request. Over a limit: exit 2
 * naming the limit, never the value.
 */
import { UsageError } from '../errors.js';
import type { Limits, SecretPatch } from './types.js';

/** Cloudflare's limits for Workers: 5 KiB per secret value, 128 vars + secrets per Worker (paid plan). */
export const CLOUDFLARE_LIMITS: Required<Limits> = { secretValueBytes: 5_120, bindingsPerWorker: 128 };

/** The most bytes `secret bulk` reads from a file or stdin. */
export const BULK_INPUT_BYTES = 1024 * 1024;

export interface HasLimits {
  readonly name: string;
  readonly limits?: Limits;
}

export function limitsOf(backend: HasLimits): Required<Limits> {
  const l = backend.limits ?? {};
  const pos = (n: unknown, d: number) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : d);
  return {
    secretValueBytes: pos(l.secretValueBytes, CLOUDFLARE_LIMITS.secretValueBytes),
    bindingsPerWorker: pos(l.bindingsPerWorker, CLOUDFLARE_LIMITS.bindingsPerWorker),
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function valueTooLarge(backend: HasLimits, name: string, bytes?: number): UsageError {
  const max = limitsOf(backend).secretValueBytes;
  return new UsageError(
    `the value of secret ${name} is ${bytes !== undefined ? `${fmt(bytes)} bytes, ` : ''}over the limit of ${fmt(max)} bytes per secret value (${backend.name} backend)`,
    { hint: 'store large data elsewhere (KV, R2) and keep a reference or key in the secret; nothing was written' },
  );
}

/** Every value of `patch` within the per-value limit. */
export function assertSecretValues(backend: HasLimits, patch: SecretPatch): void {
  const max = limitsOf(backend).secretValueBytes;
  for (const [name, value] of Object.entries(patch)) {
    if (typeof value !== 'string') continue;
    // Cheap bound first: a UTF-8 string has at least `length` bytes and at most 3x that.
    if (value.length * 3 <= max) continue;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > max) throw valueTooLarge(backend, name, bytes);
  }
}

/** A Worker with `count` vars and secrets after the change. */
export function assertBindingCount(backend: HasLimits, worker: string, count: number): void {
  const max = limitsOf(backend).bindingsPerWorker;
  if (count > max) {
    throw new UsageError(`Worker "${worker}" would have ${fmt(count)} vars and secrets, over the limit of ${fmt(max)} per Worker (${backend.name} backend)`, {
      hint: 'delete secrets or vars that are no longer used; nothing was written',
    });
  }
}
