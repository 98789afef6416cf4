/**
 * `-v, --version`: its flags, when argv asks only for it, and what it prints. The one home of the
 * flag: `runProcess` (src/cli.ts) answers before main.js is loaded, `main()` answers in-process
 * runs, and the program declares it with commander for `--help` and the other places argv may
 * carry it (`mycli secret put X -v`). A leaf module: cli.ts imports it without the rest of mycli.
 */
export const VERSION_FLAGS = '-v, --version';
export const VERSION_DESCRIPTION = 'print the version';

/** Whether argv is only the version flag (and `--json`), the case answered before anything else loads. */
export function onlyVersion(argv: readonly string[]): boolean {
  const rest = argv.filter((a) => a !== '--json');
  return rest.length === 1 && (rest[0] === '-v' || rest[0] === '--version');
}

/** What `mycli --version` prints: the version, or under `--json` a document. */
export function versionText(version: string, argv: readonly string[]): string {
  return argv.includes('--json') ? JSON.stringify({ version }) + '\n' : version + '\n';
}
