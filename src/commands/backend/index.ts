import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../summary.js';
import * as check from './check.js';

export function register(program: Command, app: App): void {
  const backend = program.command('backend').description(SUMMARY.backend);
  check.register(backend, app);
}
