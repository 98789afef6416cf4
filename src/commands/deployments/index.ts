import { defineCommand, withRun } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as list from './list.js';
import * as status from './status.js';

export const command = defineCommand({
  name: 'deployments',
  description: SUMMARY.deployments,
  commands: [withRun(list.command, async () => (await import('./list.run.js')).run), withRun(status.command, async () => (await import('./status.run.js')).run)],
});
