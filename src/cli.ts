/** The entry bin/mycli.js imports: main() with the real process streams. */
import { exitWhenFlushed, guardStdStreams } from './exit.js';

declare const __MYCLI_VERSION__: string | undefined;

export { exitWhenFlushed };

export async function runProcess(argv: string[]): Promise<number> {
  guardStdStreams();
  // `mycli --version` answers before anything else is loaded.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v') && typeof __MYCLI_VERSION__ === 'string') {
    process.stdout.write(__MYCLI_VERSION__ + '\n');
    return 0;
  }
  const { main, createProcessIO, installCrashHandlers } = await import('./main.js');
  installCrashHandlers(argv.includes('--json'));
  return main(argv, { io: createProcessIO() });
}
