/** The entry bin/mycli.js imports: main() with the real process streams. */
import { exitWhenFlushed, guardStdStreams } from './exit.js';
import { onlyVersion, versionText } from './cli/version-flag.js';

declare const __MYCLI_VERSION__: string | undefined;

export { exitWhenFlushed };

export async function runProcess(argv: string[]): Promise<number> {
  guardStdStreams();
  // `mycli --version` answers before anything else is loaded.
  if (onlyVersion(argv) && typeof __MYCLI_VERSION__ === 'string') {
    process.stdout.write(versionText(__MYCLI_VERSION__, argv));
    return 0;
  }
  const { main, createProcessIO, installCrashHandlers } = await import('./main.js');
  installCrashHandlers(argv.includes('--json'));
  return main(argv, { io: createProcessIO() });
}
