/**
 * mycli backend check [SPEC]: run the conformance kit — the same checks the built-in backends
 * pass in this project's tests — against any backend, on throwaway Workers, in a throwaway
 * project folder. One pass/fail line per behaviour; exit 1 when any check fails.
 */
import { defineCommand } from '../../cli/define-command.js';

export const command = defineCommand({
  name: 'check',
  description: 'run the conformance kit against a backend (default: the configured one) on throwaway Workers',
  arguments: [['[SPEC]', 'local | cloudflare | ./module.mjs | package name']],
  options: [
    ['--only <ids>', 'comma-separated check ids to run'],
    ['--read-only', 'run only the checks that write nothing (no throwaway Worker is created)'],
  ],
  examples: [
    'mycli backend check                       # the configured backend',
    'mycli backend check ./backends/mine.mjs --json',
    'mycli backend check cloudflare --read-only # credentials and reads only; creates nothing',
  ],
});
