/**
 * The top-level commands. Only the command that runs is registered in full (all of them for
 * `help`); the others are light stubs with their summary, so `mycli --help` and "did you mean"
 * suggestions still know them. Start-up time is part of the product.
 */
import { withRun, type AnyCommand } from '../cli/define-command.js';
import * as secret from './secret/index.js';
import * as versions from './versions/index.js';
import * as deployments from './deployments/index.js';
import * as rollback from './versions/rollback.js';
import * as backend from './backend/index.js';
import * as serve from './serve.js';
import * as types from './types.js';
import * as secretsStore from './secrets-store/index.js';
import * as store from './store/index.js';
import * as whoami from './whoami.js';
import * as complete from './complete/index.js';
import type { TopName } from './summary.js';

// The declarations are static (light: names, words, option rows; all in dist/main.js); each run
// is a module of its own, loaded when its command runs (one more file of the build).
export const COMMANDS: Record<TopName, AnyCommand> = {
  secret: secret.command,
  versions: versions.command,
  deployments: deployments.command,
  rollback: withRun(rollback.command(true), async () => (await import('./versions/rollback.run.js')).run),
  backend: backend.command,
  serve: withRun(serve.command, async () => (await import('./serve.run.js')).run),
  types: withRun(types.command, async () => (await import('./types.run.js')).run),
  'secrets-store': secretsStore.command,
  store: store.command,
  whoami: withRun(whoami.command, async () => (await import('./whoami.run.js')).run),
  complete: withRun(complete.command, async () => (await import('./complete/complete.run.js')).run(() => COMMANDS)),
};
