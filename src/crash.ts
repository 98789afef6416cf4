/**
 * The crash handlers of the real process: an error nobody caught (a plugin throwing from a
 * timer, a promise rejected and never awaited) is printed as ONE redacted line — never a raw
 * stack, which could hold a secret value — and the process ends with exit 1. Installed by
 * runProcess (src/cli.ts) only; in-process tests call main() and keep their own handlers.
 */
import { crashLine } from './redact.js';
import { documentsWritten } from './cli/output.js';
import { exitWhenFlushed } from './exit.js';

let installed = false;

export function installCrashHandlers(json: boolean): void {
  if (installed) return;
  installed = true;
  const onCrash = (e: unknown) => {
    const message = `unexpected failure: ${crashLine(e)}`;
    const hint = 'this came from code running in the background (often a plugin backend); run again with --debug and report it';
    try {
      if (json && documentsWritten() === 0) {
        // The one document of the run is this failure.
        process.stdout.write(JSON.stringify({ error: { code: 'internal', message, hint, exitCode: 1 } }, null, 2) + '\n');
      } else {
        process.stderr.write(`error: ${message}\nhint: ${hint}\n`);
      }
    } finally {
      // What the command printed before the crash, and this line, reach a pipe in full.
      void exitWhenFlushed(1);
    }
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}
