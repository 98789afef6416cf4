import { UsageError } from '../errors.js';
import { isBindingName, isReservedName } from '../domain/names.js';

export { isBindingName };

/** Secret names must be valid binding names: checked before any request. */
export function assertBindingName(name: string): void {
  if (isReservedName(name)) throw reservedNameError(name);
  if (!isBindingName(name)) {
    throw new UsageError(`"${name}" is not a valid secret name`, {
      hint: 'use letters, digits and "_", not starting with a digit (for example API_KEY)',
    });
  }
}

/** The refusal of `__proto__`, `constructor`, `prototype` (`where`: "in stdin, line 2: "). */
export function reservedNameError(name: string, where = ''): UsageError {
  return new UsageError(`${where}"${name}" cannot be a secret name (it is reserved in JavaScript objects)`, {
    hint: 'rename it; nothing was stored',
  });
}
