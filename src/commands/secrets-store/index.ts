import { defineCommand } from '../../cli/define-command.js';
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

export const command = defineCommand({
  name: 'secrets-store',
  description: SUMMARY['secrets-store'],
  commands: [
    defineCommand({ name: 'store', description: 'create, list and delete stores', commands: [storeCreate.command, storeList.command, storeDelete.command] }),
    defineCommand({
      name: 'secret',
      description: 'create, list, get, update, delete and duplicate the secrets of a store',
      commands: [secretCreate.command, secretList.command, secretGet.command, secretUpdate.command, secretDelete.command, secretDuplicate.command],
    }),
  ],
});
