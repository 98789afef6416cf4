/** mycli versions secret put|delete|bulk|list: a new version with the change, not deployed. */
import type { Command } from 'commander';
import type { App } from '../../../cli/program.js';
import * as put from '../../secret/put.js';
import * as del from '../../secret/delete.js';
import * as bulk from '../../secret/bulk.js';
import * as list from '../../secret/list.js';

export function register(versions: Command, app: App): void {
  const secret = versions
    .command('secret')
    .description('change secrets in a new version without deploying it (then `mycli versions deploy`)');
  put.register(secret, app, false);
  del.register(secret, app, false);
  bulk.register(secret, app, false);
  list.register(secret, app, true);
}
