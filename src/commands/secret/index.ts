import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../summary.js';
import * as put from './put.js';
import * as list from './list.js';
import * as del from './delete.js';
import * as bulk from './bulk.js';

export function register(program: Command, app: App): void {
  const secret = program.command('secret').description(SUMMARY.secret);
  put.register(secret, app);
  list.register(secret, app);
  del.register(secret, app);
  bulk.register(secret, app);
}
