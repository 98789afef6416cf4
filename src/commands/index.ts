/**
 * The top-level commands. Only the command that runs is registered in full (all of them for
 * `help`); the others are light stubs with their summary, so `mycli --help` and "did you mean"
 * suggestions still know them. Start-up time is part of the product.
 */
import type { AnyCommand } from '../cli/define-command.js';
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

// Static on purpose: measured, one bundle chunk with every command definition starts faster
// than a chunk per command (each extra ES module file costs ~1 ms to load in Node 20).
export const COMMANDS: Record<TopName, AnyCommand> = {
  secret: secret.command,
  versions: versions.command,
  deployments: deployments.command,
  rollback: rollback.command('rollback'),
  backend: backend.command,
  serve: serve.command,
  types: types.command,
  'secrets-store': secretsStore.command,
  store: store.command,
  whoami: whoami.command,
  complete: complete.command(() => COMMANDS),
};
