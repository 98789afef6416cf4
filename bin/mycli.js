#!/usr/bin/env node
// Thin launcher: the only place that touches process.argv, process.exit and the real streams.
import { runProcess } from '../dist/cli.js';

const code = await runProcess(process.argv.slice(2));
process.exitCode = code;
// Never hang on a leftover handle (a paused stdin, a keep-alive socket): this timer does not
// keep the process alive, but ends it if something else would.
setTimeout(() => process.exit(code), 50).unref();
