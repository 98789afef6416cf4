/**
 * `mycli versions rollout <VERSION>` and its `status` / `abort` subcommands.
 */
import { defineCommand } from '../../../cli/define-command.js';
import { DEFAULTS, run } from './run.js';
import { run as status } from './status.js';
import { run as abort } from './abort.js';
import { defaultDeps } from './deps.js';
import { FORCE_MISSING_SECRETS } from '../required.js';

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
    ['--max-error-rate <pct>', "analysis: the new version's failure rate must stay below this percentage"],
    ['--max-error-increase <pct>', "analysis: its failure rate may exceed the stable version's by at most this many percentage points"],
    ['--max-p99 <ms>', 'analysis: its wall-time p99 must stay within this many milliseconds'],
    ['--max-p99-increase <pct>', "analysis: its wall-time p99 may exceed the stable version's by at most this percentage"],
    ['--min-requests <n>', 'analysis: fewer invocations of a version in a window is inconclusive (default 100)'],
    ['--interval <duration>', 'analysis: measure this often during each wait (default: once, at the end of the --wait)'],
    ['--failure-limit <n>', 'analysis: failing measurements tolerated before the rollout fails (default 1)'],
    ['--inconclusive <action>', 'analysis: hold (stop, keep the split), rollback or continue when the data cannot tell (default hold)'],
    ['--bake <duration>', 'analysis: after 100%, keep measuring this long and roll back on failure'],
    ['--notify <url...>', 'POST a JSON event (with a readable "text") per step, measurement, hold, pause, rollback and end; repeatable'],
    ['--pause-at <list>', 'stop after these steps (percentages) with outcome paused; run the same command again to continue'],
    ['-m, --message <text>', 'a message added to each deployment of the rollout'],
    ['--dry-run', 'show the plan, change nothing'],
    FORCE_MISSING_SECRETS,
  ],
  run: (ctx, [version], opts) => run(ctx, { ...opts, version }, defaultDeps()),
  commands: [
    defineCommand({
      name: 'status',
      description: 'show the live rollout: target and stable versions, steps done and next, latest measurements per version',
      run: (ctx) => status(ctx, defaultDeps()),
    }),
    defineCommand({
      name: 'abort',
      description: 'end the live rollout: deploy its stable version at 100%',
      options: [['-m, --message <text>', 'why (recorded on the deployment)']],
      run: (ctx, _args, opts) => abort(ctx, opts),
    }),
  ],
});
