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

export const SUMMARY = {
  secret: 'manage the secrets of a Worker (each change deploys a new version)',
  versions: 'list, upload, deploy and roll back versions of a Worker',
  deployments: 'see which versions serve traffic',
  rollback: 'deploy an earlier version at 100% again (default: the one deployed before the current)',
  backend: 'work with backends (local, cloudflare, plugins)',
  serve: 'serve a Cloudflare-compatible API (/client/v4) over the local store, for wrangler and CI',
  types: 'write worker-configuration.d.ts (the Env of the Worker) from the config and the backend',
  'secrets-store': 'manage the account-level Secrets Store (stores and secrets shared by Workers)',
} as const;

export type TopName = keyof typeof SUMMARY;

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

/** Global options that take a value: their value is not the command word. */
const VALUE_OPTIONS = new Set(['-c', '--config', '-e', '--env', '--name', '--backend']);

/** The first word of argv that is not an option or an option's value: the command. */
export function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv[i + 1];
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}
