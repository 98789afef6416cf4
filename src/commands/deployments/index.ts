import { defineCommand } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as list from './list.js';
import * as status from './status.js';

export const command = defineCommand({ name: 'deployments', description: SUMMARY.deployments, commands: [list.command, status.command] });
