import { defineCommand } from '../../cli/define-command.js';
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
  commands: [list.command, view.command, upload.command, deploy.command, rollback.command('rollback'), secret.command, rollout.command],
});
