import { defineCommand } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as gc from './gc.js';
import * as verify from './verify.js';

export const command = defineCommand({ name: 'store', description: SUMMARY.store, commands: [verify.command, gc.command] });
