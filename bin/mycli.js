#!/usr/bin/env node
// Thin launcher: the only place that touches process.argv, process.exit and the real streams.
import { runProcess } from '../dist/cli.js';

const code = await runProcess(process.argv.slice(2));
// Exit at once: everything the command had to do is done (writes to stdout/stderr are
// synchronous for files, pipes and terminals on Linux and macOS), and nothing left behind — a
// paused stdin, a keep-alive socket, a background compile — may keep the process waiting.
process.exit(code);
