/**
 * main(argv, deps) -> exit code. The only place where errors become exit codes.
 */
import type { IO } from './io/io.js';
import { ExitCode, isMycliError, UsageError } from './errors.js';
import { Context, type InjectedBackend } from './cli/context.js';
import { buildProgram, type App } from './cli/program.js';
import { globalsOf } from './cli/globals.js';
import { createOutput } from './cli/output.js';
import { redactor, rememberCredentials } from './redact.js';
import { groupHelpArgv, helpArgv } from './cli/help.js';
import { SUMMARY } from './commands/summary.js';
import { usageProblem } from './cli/usage.js';
import { targetOfArgv } from './cli/argv.js';
import { packageVersion } from './version.js';
import { onlyVersion, versionText } from './cli/version-flag.js';

export { createProcessIO } from './io/io.js';
export { packageVersion } from './version.js';
export { installCrashHandlers } from './crash.js';

export interface MainDeps {
  io: IO;
  /**
   * The backend every command uses, instead of resolving --backend / MYCLI_BACKEND / the config
   * (for tests and embedders): an instance, or a factory given the Target.
   */
  backend?: InjectedBackend;
}

export async function main(rawArgv: string[], deps: MainDeps): Promise<number> {
  const { io } = deps;
  // `mycli` and `mycli help [command]` are `mycli [command] --help`: one help text per command.
  let argv = helpArgv(rawArgv, Object.keys(SUMMARY));
  const wantsJson = argv.includes('--json');
  // `mycli --version` needs nothing else (`--json` makes it a document).
  if (onlyVersion(argv)) {
    io.stdout.write(versionText(packageVersion(), argv));
    return ExitCode.ok;
  }
  // Credentials are known to the redactor before anything can print. A process runs main()
  // once; in-process test runs start from what their own run has seen.
  redactor.reset();
  rememberCredentials(io.env);
  const app: App = {
    io,
    version: packageVersion(),
    action(fn) {
      return async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as import('commander').Command;
        const ctx = await Context.create(io, globalsOf(cmd.optsWithGlobals()), { backend: deps.backend });
        app.context = ctx;
        await (fn as (ctx: Context, ...rest: unknown[]) => Promise<void>)(ctx, ...args.slice(0, -1));
      };
    },
  };
  const program = await buildProgram(app, argv);
  let usageError: string | undefined;
  const configure = (cmd: import('commander').Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s) => {
        usageError = s.replace(/^error:\s*/i, '').trim();
      },
    });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  // A group without its subcommand (`mycli secret`) shows its help on stdout (not under --json,
  // which gets a JSON usage error below).
  if (!wantsJson) argv = groupHelpArgv(program, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (e) {
    const ctx = app.context;
    const out = ctx?.out ?? (await createOutput(io, { json: wantsJson, color: !argv.includes('--no-color'), debug: argv.includes('--debug'), target: targetOfArgv(argv) }));
    const commanderCode = (e as { code?: string }).code;
    if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
      const exitCode = (e as { exitCode?: number }).exitCode ?? 1;
      if (commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' || exitCode === 0) return ExitCode.ok;
      if (commanderCode === 'commander.help' || commanderCode === 'commander.executeSubCommandAsync') {
        // A group without its subcommand (`mycli secret`): help went to stderr; --json gets a document too.
        if (wantsJson) {
          const words = argv.filter((a) => !a.startsWith('-'));
          out.error(new UsageError(words.length ? `\`mycli ${words.join(' ')}\` needs a subcommand` : 'no command given', { hint: 'see `mycli --help`' }));
        }
        return ExitCode.usage;
      }
      out.error(usageProblem(usageError ?? (e as Error).message, argv));
      return ExitCode.usage;
    }
    out.error(e);
    return isMycliError(e) ? e.exitCode : ExitCode.failed;
  } finally {
    const backend = await app.context?.backendIfLoaded();
    await backend?.close?.().catch(() => undefined);
  }
}
