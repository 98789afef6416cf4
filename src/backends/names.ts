import { UsageError } from '../errors.js';

const BINDING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isBindingName(name: string): boolean {
  return BINDING_NAME.test(name);
}

/** Secret names must be valid binding names: checked before any request. */
export function assertBindingName(name: string): void {
  if (!BINDING_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid secret name`, {
      hint: 'use letters, digits and "_", not starting with a digit (for example API_KEY)',
    });
  }
}
