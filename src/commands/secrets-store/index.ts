import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../index.js';

export function register(program: Command, _app: App): void {
  program.command('secrets-store').description(SUMMARY['secrets-store']);
}
