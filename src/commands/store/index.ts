import { defineCommand, withRun } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as gc from './gc.js';
import * as verify from './verify.js';

export const command = defineCommand({
  name: 'store',
  description: SUMMARY.store,
  commands: [withRun(verify.command, async () => (await import('./verify.run.js')).run), withRun(gc.command, async () => (await import('./gc.run.js')).run)],
  examples: ['mycli store verify', 'mycli store gc'],
});
