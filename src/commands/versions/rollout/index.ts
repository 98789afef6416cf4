/**
 * `mycli versions rollout <VERSION>` and its `status` / `abort` subcommands.
 */
import type { Command } from 'commander';
import type { App } from '../../../cli/program.js';
import { addGlobalOptions } from '../../../cli/globals.js';
import { DEFAULTS, run, type RolloutFlags } from './run.js';
import { run as status } from './status.js';
import { run as abort } from './abort.js';
import { defaultDeps } from './deps.js';

export function register(parent: Command, app: App): void {
  const rollout = parent
    .command('rollout')
    .description('roll a version out in steps with health gates; roll back automatically when a gate fails')
    .argument('<VERSION>', 'version id (or a unique prefix) to roll out')
    .option('--steps <list>', 'percentages of traffic for the version, in order (100 is added when missing)', DEFAULTS.steps)
    .option('--wait <duration>', 'time to wait after each step before its gates: 30s, 5m, 1h or seconds', DEFAULTS.wait)
    .option('--check <command>', 'a shell command run after each wait; exit 0 is healthy')
    .option('--check-url <url>', 'GET this URL with the version override for VERSION after each wait; 2xx is healthy')
    .option('--check-samples <n>', 'how many GETs of --check-url per step', DEFAULTS.checkSamples)
    .option('--check-timeout <duration>', 'time-out of --check and of each GET', DEFAULTS.checkTimeout)
    .option('--on-fail <action>', 'rollback (deploy the stable version at 100%) or hold (leave the split)', DEFAULTS.onFail)
    .option('-m, --message <text>', 'a message added to each deployment of the rollout')
    .option('--dry-run', 'show the plan, change nothing')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ mycli versions rollout 1a2b3c4d --steps 0,10,50,100 --wait 5m --check-url https://example.com/health\n' +
        "  $ mycli versions rollout 1a2b3c4d --check './smoke.sh' --on-fail hold --yes\n" +
        '  $ mycli versions rollout status\n' +
        '  $ mycli versions rollout abort --yes\n' +
        '\nExit codes: 0 completed, 1 a gate failed, 2 bad arguments, 5 the deployment changed under it, 130 interrupted',
    )
    .action(app.action(async (ctx, version: string, opts: Omit<RolloutFlags, 'version'>) => run(ctx, { ...opts, version }, defaultDeps())));
  // A command with subcommands is not a leaf, so the program does not add these for it.
  addGlobalOptions(rollout);
  rollout
    .command('status')
    .description('show the live rollout: target and stable versions, steps done and next')
    .addHelpText('after', '\nExamples:\n  $ mycli versions rollout status\n  $ mycli versions rollout status --json\n')
    .action(app.action(async (ctx) => status(ctx)));
  rollout
    .command('abort')
    .description('end the live rollout: deploy its stable version at 100%')
    .option('-m, --message <text>', 'why (recorded on the deployment)')
    .addHelpText('after', '\nExamples:\n  $ mycli versions rollout abort\n  $ mycli versions rollout abort --yes -m "errors at 10%"\n')
    .action(app.action(async (ctx, opts: { message?: string }) => abort(ctx, opts)));
}
