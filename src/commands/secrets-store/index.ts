import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../summary.js';
import * as storeCreate from './store-create.js';
import * as storeList from './store-list.js';
import * as storeDelete from './store-delete.js';
import * as secretCreate from './secret-create.js';
import * as secretList from './secret-list.js';
import * as secretGet from './secret-get.js';
import * as secretUpdate from './secret-update.js';
import * as secretDelete from './secret-delete.js';
import * as secretDuplicate from './secret-duplicate.js';

export function register(program: Command, app: App): void {
  const group = program
    .command('secrets-store')
    .description(SUMMARY['secrets-store'])
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ mycli secrets-store store create shared-keys\n' +
        "  $ printf '%s' \"$VALUE\" | mycli secrets-store secret create api-key --store shared-keys\n" +
        '  $ mycli secrets-store secret list          # with the Workers that bind each secret',
    );
  const store = group.command('store').description('create, list and delete stores');
  storeCreate.register(store, app);
  storeList.register(store, app);
  storeDelete.register(store, app);
  const secret = group.command('secret').description('create, list, get, update, delete and duplicate the secrets of a store');
  secretCreate.register(secret, app);
  secretList.register(secret, app);
  secretGet.register(secret, app);
  secretUpdate.register(secret, app);
  secretDelete.register(secret, app);
  secretDuplicate.register(secret, app);
}
