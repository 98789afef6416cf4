import type { Command } from 'commander';
import type { App } from '../../cli/program.js';
import { SUMMARY } from '../summary.js';
import * as list from './list.js';
import * as view from './view.js';
import * as upload from './upload.js';
import * as deploy from './deploy.js';
import * as rollback from './rollback.js';
import * as secret from './secret/index.js';
import * as rollout from './rollout/index.js';

export function register(program: Command, app: App): void {
  const versions = program.command('versions').description(SUMMARY.versions);
  list.register(versions, app);
  view.register(versions, app);
  upload.register(versions, app);
  deploy.register(versions, app);
  rollback.register(versions, app, 'rollback');
  secret.register(versions, app);
  rollout.register(versions, app);
}
