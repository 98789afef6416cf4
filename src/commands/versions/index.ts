import { defineCommand, withRun } from '../../cli/define-command.js';
import { SUMMARY } from '../summary.js';
import * as list from './list.js';
import * as view from './view.js';
import * as upload from './upload.js';
import * as deploy from './deploy.js';
import * as rollback from './rollback.js';
import * as secret from './secret/index.js';
import * as rollout from './rollout/index.js';

export const command = defineCommand({
  name: 'versions',
  description: SUMMARY.versions,
  commands: [
    withRun(list.command, async () => (await import('./list.run.js')).run),
    withRun(view.command, async () => (await import('./view.run.js')).run),
    withRun(upload.command, async () => (await import('./upload.run.js')).run),
    withRun(deploy.command, async () => (await import('./deploy.run.js')).run),
    withRun(rollback.command(), async () => (await import('./rollback.run.js')).run),
    secret.command,
    rollout.command,
  ],
});
