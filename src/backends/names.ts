import { UsageError } from '../errors.js';
import { isBindingName } from '../domain/names.js';

export { isBindingName };

/** Secret names must be valid binding names: checked before any request. */
export function assertBindingName(name: string): void {
  if (!isBindingName(name)) {
    throw new UsageError(`"${name}" is not a valid secret name`, {
      hint: 'use letters, digits and "_", not starting with a digit (for example API_KEY)',
    });
  }
}
