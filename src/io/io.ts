/**
 * The terminal, injected. Only bin/ and createProcessIO touch the real process streams;
 * everything below takes an IO, so every command runs in-process in tests.
 */
import type { Readable, Writable } from 'node:stream';
import type { Prompter } from './prompter.js';

export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Draws prompts on stderr. Only used when `isInteractive(io)`. */
  prompter: Prompter;
}

/** Whether a CI environment is detected (the `CI` variable or a known CI provider). */
export function isCI(env: Record<string, string | undefined>): boolean {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return true;
  // Providers that do not set CI. Kept small on purpose: `ci-info` knows them all but costs
  // start-up time, and these cover the common runners.
  return ['CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'TF_BUILD', 'CIRCLECI', 'JENKINS_URL']
    .some((k) => env[k] !== undefined && env[k] !== '' && env[k] !== 'false');
}

/** Interactive: stdin and stdout are terminals and no CI is detected. Prompts happen only then. */
export function isInteractive(io: IO): boolean {
  return io.stdinIsTTY && io.stdoutIsTTY && !isCI(io.env);
}

/** Why prompting is off, for error messages: "CI is set", "stdin is not a terminal", ... */
export function whyNotInteractive(io: IO): string {
  if (isCI(io.env)) return 'a CI environment is detected (CI is set), so mycli never prompts';
  if (!io.stdinIsTTY) return 'stdin is not a terminal';
  if (!io.stdoutIsTTY) return 'stdout is not a terminal';
  return 'this is not an interactive terminal';
}

export function createProcessIO(): IO {
  let prompter: Prompter | undefined;
  const io: IO = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    get prompter(): Prompter {
      if (!prompter) prompter = createInquirerPrompter(io);
      return prompter;
    },
  };
  return io;
}

function createInquirerPrompter(io: IO): Prompter {
  // @inquirer/prompts is loaded only when a prompt is actually drawn.
  const load = () => import('./inquirer.js').then((m) => m.inquirerPrompter(io));
  return {
    password: async (o) => (await load()).password(o),
    confirm: async (o) => (await load()).confirm(o),
    select: async (o) => (await load()).select(o),
    input: async (o) => (await load()).input(o),
  };
}
