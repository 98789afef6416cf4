import { defineCommand } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as put from './put.js';
import * as list from './list.js';
import * as del from './delete.js';
import * as bulk from './bulk.js';
import * as sync from './sync.js';

export const command = defineCommand({
  name: 'secret',
  description: SUMMARY.secret,
  commands: [put.command(), list.command(), del.command(), bulk.command(), sync.command],
});
