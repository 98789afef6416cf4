#!/usr/bin/env node
// Thin launcher: the only place that touches process.argv, process.exit and the real streams.
import { main } from '../dist/main.js';
import { createProcessIO } from '../dist/io/io.js';

const code = await main(process.argv.slice(2), { io: createProcessIO() });
process.exitCode = code;
// Never hang on a leftover handle (a paused stdin, a keep-alive socket): this timer does not
// keep the process alive, but ends it if something else would.
setTimeout(() => process.exit(code), 50).unref();
