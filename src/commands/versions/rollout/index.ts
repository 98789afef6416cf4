/**
 * `mycli versions rollout <VERSION>` and its `status` / `abort` subcommands.
 */
import { defineCommand } from '../../../cli/define-command.js';
import { DEFAULTS, run } from './run.js';
import { run as status } from './status.js';
import { run as abort } from './abort.js';
import { defaultDeps } from './deps.js';

export const command = defineCommand({
  name: 'rollout',
  description: 'roll a version out in steps with health gates; roll back automatically when a gate fails',
  arguments: [['<VERSION>', 'version id (or a unique prefix) to roll out']],
  options: [
    ['--steps <list>', 'percentages of traffic for the version, in order (100 is added when missing)', DEFAULTS.steps],
    ['--wait <duration>', 'time to wait after each step before its gates: 30s, 5m, 1h or seconds', DEFAULTS.wait],
    ['--check <command>', 'a shell command run after each wait; exit 0 is healthy'],
    ['--check-url <url>', 'GET this URL with the version override for VERSION after each wait; 2xx is healthy'],
    ['--check-samples <n>', 'how many GETs of --check-url per step', DEFAULTS.checkSamples],
    ['--check-env <names>', 'credentials --check gets on purpose, comma-separated (it inherits none of MYCLI_LOCAL_KEY, CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_KEY, CLOUDFLARE_EMAIL, MYCLI_SERVE_TOKEN otherwise)'],
    ['--check-timeout <duration>', 'time-out of --check and of each GET', DEFAULTS.checkTimeout],
    ['--on-fail <action>', 'rollback (deploy the stable version at 100%) or hold (leave the split)', DEFAULTS.onFail],
    ['-m, --message <text>', 'a message added to each deployment of the rollout'],
    ['--dry-run', 'show the plan, change nothing'],
  ],
  run: (ctx, [version], opts) => run(ctx, { ...opts, version }, defaultDeps()),
  commands: [
    defineCommand({
      name: 'status',
      description: 'show the live rollout: target and stable versions, steps done and next',
      run: (ctx) => status(ctx),
    }),
    defineCommand({
      name: 'abort',
      description: 'end the live rollout: deploy its stable version at 100%',
      options: [['-m, --message <text>', 'why (recorded on the deployment)']],
      run: (ctx, _args, opts) => abort(ctx, opts),
    }),
  ],
});
