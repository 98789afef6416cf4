import { defineCommand, withRun } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as put from './put.js';
import * as list from './list.js';
import * as del from './delete.js';
import * as bulk from './bulk.js';
import * as sync from './sync.js';

export const command = defineCommand({
  name: 'secret',
  description: SUMMARY.secret,
  commands: [
    withRun(put.command(), async () => (await import('./put.run.js')).run(true)),
    withRun(list.command(), async () => (await import('./list.run.js')).run),
    withRun(del.command(), async () => (await import('./delete.run.js')).run(true)),
    withRun(bulk.command(), async () => (await import('./bulk.run.js')).run(true)),
    withRun(sync.command, async () => (await import('./sync.run.js')).run),
  ],
});
