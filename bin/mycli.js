#!/usr/bin/env node
// Thin launcher: the only place that touches process.argv, process.exit and the real streams.
import { exitWhenFlushed, runProcess } from '../dist/cli.js';

const code = await runProcess(process.argv.slice(2));
// Exit once stdout and stderr have handed every byte to the OS (a pipe takes 64 KiB at a time;
// process.exit() alone drops the rest) or their reader has gone, and not later: nothing else
// left behind — a paused stdin, a keep-alive socket, a background compile — may keep the
// process waiting.
await exitWhenFlushed(code);
