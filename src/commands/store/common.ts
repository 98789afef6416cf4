/** What the `mycli store` commands share: they act on the local backend's store only. */
import type { Context } from '../../cli/context.js';
import type { LocalBackend } from '../../backends/local/backend.js';
import { UsageError } from '../../errors.js';

export async function localBackend(ctx: Context, verb: string): Promise<LocalBackend> {
  const backend = await ctx.backend();
  const { LocalBackend } = await import('../../backends/local/backend.js');
  if (!(backend instanceof LocalBackend)) {
    throw new UsageError(`mycli store ${verb} works on the local store; this project's backend is ${backend.name}`, {
      hint: 'run it where the backend is local (the default), or pass --backend local',
    });
  }
  return backend;
}
