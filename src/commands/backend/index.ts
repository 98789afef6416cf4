import { defineCommand, withRun } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as check from './check.js';

export const command = defineCommand({ name: 'backend', description: SUMMARY.backend, commands: [withRun(check.command, async () => (await import('./check.run.js')).run)] });
