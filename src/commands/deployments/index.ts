import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../summary.js';
import * as list from './list.js';
import * as status from './status.js';

export function register(program: Command, app: App): void {
  const deployments = program.command('deployments').description(SUMMARY.deployments);
  list.register(deployments, app);
  status.register(deployments, app);
}
