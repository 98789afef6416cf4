/**
 * `mycli versions rollout <VERSION>` and its `status` / `abort` subcommands: the declarations
 * (command.ts) with their runs, each loaded when it runs.
 */
import { withRun } from '../../../cli/define-command.js';
import { abort, rollout, status } from './command.js';

export const command = {
  ...withRun(rollout, async () => {
    const [{ run }, { defaultDeps }] = await Promise.all([import('./run.js'), import('./deps.js')]);
    return (ctx, [version], opts) => run(ctx, { ...opts, version }, defaultDeps());
  }),
  commands: [
    withRun(status, async () => {
      const [{ run }, { defaultDeps }] = await Promise.all([import('./status.js'), import('./deps.js')]);
      return (ctx) => run(ctx, defaultDeps());
    }),
    withRun(abort, async () => (await import('./abort.js')).run),
  ],
};
