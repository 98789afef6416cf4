/** The declarations of `mycli versions rollout <VERSION>` and its `status` / `abort` (their runs: run.ts, status.ts, abort.ts, linked in index.ts). */
import { defineCommand } from '../../../cli/define-command.js';
import { FORCE_MISSING_SECRETS } from '../../options.js';

/** The defaults of the flags (run.ts reads them when a flag is absent). */
export const DEFAULTS = { steps: '10,50,100', wait: '1m', checkSamples: '5', checkTimeout: '30s', onFail: 'rollback', minRequests: '100', failureLimit: '1', inconclusive: 'hold' } as const;

export const rollout = defineCommand({
  name: 'rollout',
  description: 'roll a version out in steps with health gates; roll back automatically when a gate fails',
  arguments: [['<VERSION>', 'the version to roll out: its number, id, 4+ characters of the id, or a tag']],
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
  examples: [
    'mycli versions rollout 1a2b3c4d --steps 0,10,50,100 --wait 5m --check-url https://example.com/health',
    `mycli versions rollout 1a2b3c4d --check './smoke.sh' --on-fail hold --yes`,
    'mycli versions rollout status',
    'mycli versions rollout abort --yes',
  ],
  notes: { after: "\nExit codes: 0 completed, 1 a gate failed, 2 bad arguments, 5 the deployment changed under it, 130 interrupted (Ctrl-C), 143 SIGTERM" },
});

export const status = defineCommand({
  name: 'status',
  description: 'show the live rollout: target and stable versions, steps done and next, latest measurements per version',
  examples: [
    'mycli versions rollout status',
    'mycli versions rollout status --json',
  ],
});

export const abort = defineCommand({
  name: 'abort',
  description: 'end the live rollout: deploy its stable version at 100%',
  options: [['-m, --message <text>', 'why (recorded on the deployment)']],
  examples: [
    'mycli versions rollout abort',
    'mycli versions rollout abort --yes -m "errors at 10%"',
  ],
});
