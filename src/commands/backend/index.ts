import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import * as check from './check.js';

export function register(program: Command, app: App): void {
  const backend = program.command('backend').description('work with backends (local, cloudflare, plugins)');
  check.register(backend, app);
}
