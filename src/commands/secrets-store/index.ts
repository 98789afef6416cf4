import { defineCommand, withRun } from '../../cli/define-command.js';
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
    defineCommand({
      name: 'store',
      description: 'create, list and delete stores',
      commands: [
        withRun(storeCreate.command, async () => (await import('./store-create.run.js')).run),
        withRun(storeList.command, async () => (await import('./store-list.run.js')).run),
        withRun(storeDelete.command, async () => (await import('./store-delete.run.js')).run),
      ],
    }),
    defineCommand({
      name: 'secret',
      description: 'create, list, get, update, delete and duplicate the secrets of a store',
      commands: [
        withRun(secretCreate.command, async () => (await import('./secret-create.run.js')).run),
        withRun(secretList.command, async () => (await import('./secret-list.run.js')).run),
        withRun(secretGet.command, async () => (await import('./secret-get.run.js')).run),
        withRun(secretUpdate.command, async () => (await import('./secret-update.run.js')).run),
        withRun(secretDelete.command, async () => (await import('./secret-delete.run.js')).run),
        withRun(secretDuplicate.command, async () => (await import('./secret-duplicate.run.js')).run),
      ],
    }),
  ],
  examples: [
    'mycli secrets-store store create shared-keys',
    `printf '%s' "$VALUE" | mycli secrets-store secret create api-key --store shared-keys`,
    'mycli secrets-store secret list          # with the Workers that bind each secret',
  ],
});
