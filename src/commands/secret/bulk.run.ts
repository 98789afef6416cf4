/**
 * mycli secret bulk [FILE]: a JSON object (null deletes) or a .env file, from FILE or stdin,
 * applied as one atomic change with a per-name report.
 */
import { resolve } from 'node:path';
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './bulk.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { decodeValue, readAllStdin, describeWarning, valueWarnings } from '../../io/stdin.js';
import { parseBulk } from '../../io/bulk-input.js';
import { stdinTimeoutMs } from '../../io/secret-value.js';
import { assertSecretValues, BULK_INPUT_BYTES } from '../../backends/limits.js';
import { changeJson, changeSummary, changeWords, checkSecretNames, reportWorkerCreated, updateSecretsExplained } from './report.js';

function bulkTooLarge(source: string): UsageError {
  return new UsageError(`${source} is over the limit of 1 MiB for \`secret bulk\` input`, { hint: 'split it into several files; nothing was written' });
}

/** A bulk FILE, read up to 1 MiB (+1 byte to tell it is longer); a FIFO that never delivers times out. */
async function readBulkFile(path: string, given: string, timeoutMs: number): Promise<Buffer> {
  const { readPathBounded } = await import('../../io/stdin.js');
  const bytes = await readPathBounded(path, BULK_INPUT_BYTES + 1, timeoutMs, () =>
    new UsageError(`nothing could be read from ${given} within ${+(timeoutMs / 1000).toFixed(1)}s`, {
      hint: 'is it a FIFO or device with no writer? give a regular file (MYCLI_STDIN_TIMEOUT sets the wait, in seconds)',
    }),
  );
  if (bytes.length > BULK_INPUT_BYTES) throw bulkTooLarge(given);
  return bytes;
}

/**
 * The text of a secrets file: FILE (`-` or none: stdin) read up to 1 MiB, decoded as UTF-8.
 * Shared by `secret bulk`, `secret sync` and `versions upload --secrets-file`.
 */
export async function readSecretsText(ctx: Context, file: string | undefined, command: string): Promise<{ text: string; source: string }> {
  if (file !== undefined && file !== '-') {
    try {
      return { text: decodeValue(await readBulkFile(resolve(ctx.io.cwd, file), file, stdinTimeoutMs(ctx.io.env)), file), source: file };
    } catch (e) {
      if ((e as { exitCode?: number }).exitCode) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code})`, { hint: 'check the path' });
    }
  }
  if (!ctx.io.stdinIsTTY) {
    const bytes = await readAllStdin(ctx.io, stdinTimeoutMs(ctx.io.env), `pipe JSON or .env text in (\`${ctx.command(command)} < secrets.json\`) or give a FILE`, BULK_INPUT_BYTES + 1);
    if (bytes.length > BULK_INPUT_BYTES) throw bulkTooLarge('stdin');
    return { text: decodeValue(bytes, 'stdin'), source: 'stdin' };
  }
  throw new UsageError('no secrets given: pass a FILE or pipe JSON / .env on stdin', {
    hint: `for example \`${ctx.command(`${command} secrets.json`)}\` or \`${ctx.command(command)} < .env.production\``,
  });
}

export const run = (deploy: boolean): RunOf<ReturnType<typeof command>> => async (ctx, [file], opts) => {
  const o = { file, ...opts, deploy };
  const { text, source } = await readSecretsText(ctx, o.file, `${o.deploy ? '' : 'versions '}secret bulk`);
  const patch = await parseBulk(text, source, Boolean(o.file?.endsWith('.json')));
  const names = Object.keys(patch);
  if (names.length === 0) throw new UsageError(`${source} holds no secrets`, { hint: 'give at least one NAME and value' });
  await checkSecretNames(ctx, names);
  const empty = names.filter((n) => patch[n] === '');
  if (empty.length && !o.allowEmpty) {
    throw new UsageError(`refusing to store empty values for: ${empty.join(', ')}`, { hint: 'pass --allow-empty if that is intended' });
  }
  const backend = await ctx.backendWith('secrets', ...(o.deploy ? [] : (['versionedSecrets'] as const)));
  assertSecretValues(backend, patch);
  backend.prepareWrite?.();
  const target = await ctx.target();

  // Deleting a name that is not there is not an error in bulk: report it as skipped.
  const deletes = names.filter((n) => patch[n] === null);
  const skipped: string[] = [];
  if (deletes.length) {
    const existing = new Set((await backend.listSecrets(target)).map((s) => s.name));
    for (const n of deletes) if (!existing.has(n)) {
      skipped.push(n);
      delete patch[n];
    }
  }
  for (const n of Object.keys(patch)) {
    const v = patch[n];
    if (typeof v === 'string') for (const w of valueWarnings(v)) ctx.out.warn(describeWarning(w, n));
  }
  if (Object.keys(patch).length === 0) {
    ctx.out.note(`nothing to change: ${skipped.join(', ')} ${skipped.length === 1 ? 'does' : 'do'} not exist`);
    ctx.out.document({ ...(await ctx.targetJson()), changes: [], skipped, versionId: null, version: null, deployed: false, deployment: null });
    return;
  }
  await ctx.announce(`Changing ${Object.keys(patch).length} secret${Object.keys(patch).length === 1 ? '' : 's'}`);
  // Deleting is destructive: the same confirmation (or --yes) as `secret delete`, naming them.
  const deleting = Object.keys(patch).filter((n) => patch[n] === null);
  if (deleting.length) {
    const what = `secret${deleting.length === 1 ? '' : 's'} ${deleting.join(', ')}`;
    await ctx.confirm(`Delete ${what} from ${await ctx.where()}?`, `deleting ${what}`);
  }
  const result = await updateSecretsExplained(backend, target, patch, { deploy: o.deploy, message: o.message }, changeWords('bulk', o.file ?? undefined));
  reportWorkerCreated(ctx, target, result, backend.name);
  const s = ctx.out.err;
  const mark = { added: s.green('+'), updated: s.yellow('~'), set: s.green('='), deleted: s.red('-') };
  for (const c of result.changes) ctx.out.note(`  ${mark[c.action]} ${c.name} ${s.dim(c.action)}`);
  for (const n of skipped) ctx.out.note(`  ${s.dim('·')} ${n} ${s.dim('not present, skipped')}`);
  const count = (a: string) => result.changes.filter((c) => c.action === a).length;
  ctx.out.success(
    `${count('set') ? `${count('set')} set, ` : `${count('added')} added, ${count('updated')} updated, `}${count('deleted')} deleted${result.version ? `: ${changeSummary(ctx, result)}` : ''}`,
  );
  ctx.out.document({ ...(await ctx.targetJson()), changes: result.changes, skipped, ...changeJson(result) });
};
