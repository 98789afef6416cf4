/**
 * A secrets file that states the Worker's secrets (`secret sync`, `versions upload
 * --secrets-file`): a JSON object of NAME: "value" or a .env file, read and parsed by the strict
 * parsers `secret bulk` uses (io/bulk-input.ts). Unlike `secret bulk` it holds values only: a
 * secret is removed by leaving it out (with --prune), never by `null`.
 */
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { parseBulk } from '../../io/bulk-input.js';
import { describeWarning, valueWarnings } from '../../io/stdin.js';
import { readSecretsText } from './bulk.run.js';
import { checkSecretNames } from './report.js';

export async function readSecretsFile(
  ctx: Context,
  file: string | undefined,
  o: { command: string; allowEmpty?: boolean },
): Promise<{ values: Record<string, string>; source: string }> {
  const { text, source } = await readSecretsText(ctx, file, o.command);
  const patch = await parseBulk(text, source, Boolean(file?.endsWith('.json')));
  const names = Object.keys(patch);
  if (names.length === 0) {
    throw new UsageError(`${source} holds no secrets`, { hint: 'a secrets file gives at least one NAME and value; to delete secrets use `mycli secret delete NAME`' });
  }
  const nulls = names.filter((n) => patch[n] === null);
  if (nulls.length) {
    throw new UsageError(`in ${source}: ${nulls.join(', ')} ${nulls.length === 1 ? 'is' : 'are'} null; a secrets file gives values`, {
      hint: 'to remove a secret, leave it out of the file and pass --prune; nothing was changed',
    });
  }
  await checkSecretNames(ctx, names);
  const values = patch as Record<string, string>;
  const empty = names.filter((n) => values[n] === '');
  if (empty.length && !o.allowEmpty) {
    throw new UsageError(`refusing to store empty values for: ${empty.join(', ')}`, { hint: 'pass --allow-empty if that is intended' });
  }
  // Values that look wrong are warned about as `secret put` does, naming the secret only.
  for (const n of names) for (const w of valueWarnings(values[n])) ctx.out.warn(describeWarning(w, n));
  return { values, source };
}
