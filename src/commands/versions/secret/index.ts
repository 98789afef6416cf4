/** mycli versions secret put|delete|bulk|list: a new version with the change, not deployed. */
import { defineCommand, withRun } from '../../../cli/define-command.js';
import * as put from '../../secret/put.js';
import * as del from '../../secret/delete.js';
import * as bulk from '../../secret/bulk.js';
import * as list from '../../secret/list.js';

export const command = defineCommand({
  name: 'secret',
  description: 'change secrets in a new version without deploying it (then `mycli versions deploy`)',
  commands: [
    withRun(put.command(false), async () => (await import('../../secret/put.run.js')).run(false)),
    withRun(del.command(false), async () => (await import('../../secret/delete.run.js')).run(false)),
    withRun(bulk.command(false), async () => (await import('../../secret/bulk.run.js')).run(false)),
    withRun(list.command(true), async () => (await import('../../secret/list.run.js')).run),
  ],
});
