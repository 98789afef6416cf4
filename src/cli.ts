/** The entry bin/mycli.js imports: main() with the real process streams. */
import { main } from './main.js';
import { createProcessIO } from './io/io.js';

export async function runProcess(argv: string[]): Promise<number> {
  return main(argv, { io: createProcessIO() });
}
