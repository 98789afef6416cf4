/**
 * mycli types: write `worker-configuration.d.ts` (the `Env` interface of the Worker) in the shape
 * `wrangler types --include-runtime=false` writes, from the truth: [vars] of every environment,
 * the secret names of each environment (`[secrets] required` when the config has it, as wrangler;
 * else the names the backend holds for the environment's Worker; .dev.vars / .env only with
 * --offline), Secrets Store and the other bindings of the config.
 */
import { defineCommand } from '../cli/define-command.js';

export const DEFAULT_OUT = 'worker-configuration.d.ts';

export const command = defineCommand({
  name: 'types',
  description: 'write worker-configuration.d.ts (the Env of the Worker) from the config and the backend\'s secret names',
  options: [
    ['--check', 'do not write: exit 1 when the file is missing or stale, and say why (for CI)'],
    ['--out <path>', `where to write (default: ${DEFAULT_OUT} next to the config)`],
    ['--offline', 'do not ask the backend: take secret names from [secrets] required, else .dev.vars / .env'],
  ],
  examples: [
    'mycli types                       # write worker-configuration.d.ts',
    'mycli types --check               # in CI: exit 1 when it is stale',
    'mycli types --env staging --out src/env.d.ts',
    'mycli types --offline             # secret names from .dev.vars, no backend',
  ],
});
