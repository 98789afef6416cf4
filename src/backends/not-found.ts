/**
 * "… does not exist" for the records every backend names: one factory per record, so the local
 * store, the Cloudflare API's answers and `mycli serve` say the same words.
 */
import { NotFoundError } from '../errors.js';
import type { Target } from './types.js';

/** " (env staging)" after a Worker's name when an environment was given. */
export function envSuffix(target: Pick<Target, 'env'>): string {
  return target.env ? ` (env ${target.env})` : '';
}

export function secretNotFound(target: Pick<Target, 'worker' | 'env'>, name: string, cause?: unknown): NotFoundError {
  return new NotFoundError(`secret "${name}" does not exist on Worker "${target.worker}"${envSuffix(target)}`, {
    hint: 'see the names with `mycli secret list`',
    ...(cause === undefined ? {} : { cause }),
  });
}
