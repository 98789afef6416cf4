/**
 * The top-level commands. Only the command that runs is registered in full (all of them for
 * `help`); the others are light stubs with their summary, so `mycli --help` and "did you mean"
 * suggestions still know them. Start-up time is part of the product.
 */
import type { Command } from 'commander';
import type { App } from '../cli/program.js';
import * as secret from './secret/index.js';
import * as versions from './versions/index.js';
import * as deployments from './deployments/index.js';
import * as rollback from './versions/rollback.js';
import * as backend from './backend/index.js';
import * as serve from './serve.js';
import * as types from './types.js';
import * as secretsStore from './secrets-store/index.js';
import type { TopName } from './summary.js';

type Registrar = (program: Command, app: App) => void;

// Static on purpose: measured, one bundle chunk with every command definition starts faster
// than a chunk per command (each extra ES module file costs ~1 ms to load in Node 20).
export const REGISTER: Record<TopName, Registrar> = {
  secret: secret.register,
  versions: versions.register,
  deployments: deployments.register,
  rollback: (program, app) => rollback.register(program, app, 'rollback'),
  backend: backend.register,
  serve: serve.register,
  types: types.register,
  'secrets-store': secretsStore.register,
};
