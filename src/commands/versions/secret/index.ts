/** mycli versions secret put|delete|bulk|list: a new version with the change, not deployed. */
import { defineCommand } from '../../../cli/define-command.js';
import * as put from '../../secret/put.js';
import * as del from '../../secret/delete.js';
import * as bulk from '../../secret/bulk.js';
import * as list from '../../secret/list.js';

export const command = defineCommand({
  name: 'secret',
  description: 'change secrets in a new version without deploying it (then `mycli versions deploy`)',
  commands: [put.command(false), del.command(false), bulk.command(false), list.command(true)],
});
