/**
 * What every command receives: the IO, the global options, output, and lazy access to the
 * project (config), the target Worker and the backend. Nothing here is loaded until asked for.
 */
import type { IO } from '../io/io.js';
import { isInteractive, whyNotInteractive } from '../io/io.js';
import { createOutput, type Output } from './output.js';
import { commandHint } from './hint.js';
import { CancelledError, UsageError } from '../errors.js';
import { loadProject, type Project } from '../config/load.js';
import { writeWarnings } from '../config/write-warnings.js';
import { resolveBackend } from '../backends/resolve.js';
import { guardEdge } from '../backends/edge.js';
import { chooseBackend } from '../backends/spec.js';
import type { Backend, CapabilityName, Target } from '../backends/types.js';
import { requireCapabilities, type BackendWith } from '../backends/capabilities.js';

export interface GlobalOptions {
  config?: string;
  env?: string;
  name?: string;
  backend?: string;
  json: boolean;
  color: boolean;
  yes: boolean;
  debug: boolean;
}

/**
 * A backend given to main() instead of the one the spec names (tests): an instance, or a factory
 * called with the Target once per command.
 */
export type InjectedBackend = Backend | ((target: Target) => Backend | Promise<Backend>);

export class Context {
  readonly io: IO;
  readonly globals: GlobalOptions;
  readonly out: Output;
  private projectPromise?: Promise<Project>;
  private backendPromise?: Promise<Backend>;
  private readonly injectedBackend?: InjectedBackend;

  private constructor(io: IO, globals: GlobalOptions, out: Output, injectedBackend?: InjectedBackend) {
    this.io = io;
    this.globals = globals;
    this.out = out;
    this.injectedBackend = injectedBackend;
  }

  static async create(io: IO, globals: GlobalOptions, deps: { backend?: InjectedBackend } = {}): Promise<Context> {
    const target = { config: globals.config, env: globals.env, name: globals.name, backend: globals.backend };
    return new Context(io, globals, await createOutput(io, { json: globals.json, color: globals.color, debug: globals.debug, target }), deps.backend);
  }

  /**
   * A command for the user to run, acting on the same target as this one: `mycli <command>`
   * with `--env`, `-c`, `--name`, `--backend` when they were given (src/cli/hint.ts).
   */
  command(command: string): string {
    return commandHint(this.globals, command);
  }

  get interactive(): boolean {
    return isInteractive(this.io);
  }

  project(): Promise<Project> {
    if (!this.projectPromise) {
      this.projectPromise = (async () => {
        const p = await loadProject({
          cwd: this.io.cwd,
          config: this.globals.config,
          env: this.globals.env,
          name: this.globals.name,
        });
        for (const w of p.warnings) this.out.warn(w);
        this.out.debug(`config: ${p.configPath ?? '(none)'}; worker: ${p.worker}${p.env ? `; env: ${p.env}` : ''}`);
        return p;
      })();
    }
    return this.projectPromise;
  }

  async target(): Promise<Target> {
    const p = await this.project();
    return {
      worker: p.worker,
      env: p.env,
      configPath: p.configPath,
      projectDir: p.projectDir,
      accountId: p.accountId,
      declared: this.globals.name === undefined,
    };
  }

  /** --backend > MYCLI_BACKEND > [mycli] backend > local; relative module paths resolve from where they were given. */
  backendSpec(p: Project): { spec: string; baseDir: string } {
    return chooseBackend({ flag: this.globals.backend, env: this.io.env, config: p.backendSpec, cwd: this.io.cwd, projectDir: p.projectDir });
  }

  backend(): Promise<Backend> {
    if (!this.backendPromise) {
      this.backendPromise = (async () => {
        const injected = this.injectedBackend;
        if (injected) {
          this.out.debug('backend: given to main()');
          // The same edge as every resolved backend (backends/edge.ts).
          return guardEdge(typeof injected === 'function' ? await injected(await this.target()) : injected);
        }
        const p = await this.project();
        const target = await this.target();
        const { spec, baseDir } = this.backendSpec(p);
        this.out.debug(`backend: ${spec}`);
        return resolveBackend({
          spec,
          baseDir,
          target,
          options: p.backendOptions,
          env: this.io.env,
          log: (line) => this.out.note(line),
          debug: (line) => this.out.debug(line),
        });
      })();
    }
    return this.backendPromise;
  }

  /** The backend if one was loaded (for clean-up), else undefined. */
  async backendIfLoaded(): Promise<Backend | undefined> {
    if (!this.backendPromise) return undefined;
    return this.backendPromise.catch(() => undefined);
  }

  /**
   * The backend, after checking it has what the command needs (exit 2 otherwise), typed so that
   * the members of those capabilities are required (src/backends/capabilities.ts).
   */
  async backendWith<C extends CapabilityName>(...needs: C[]): Promise<BackendWith<C>> {
    return requireCapabilities(await this.backend(), ...needs);
  }

  /** "Acting on" line for mutating commands: Worker, environment, backend (on stderr). */
  async announce(verb: string): Promise<void> {
    for (const w of writeWarnings(await this.project(), this.globals.env, (c) => this.command(c))) this.out.warn(w);
    const backend = await this.backend();
    const target = await this.target();
    const where = backend.describe ? ` (${backend.describe(target)})` : '';
    const s = this.out.err;
    this.out.note(
      `${verb} on Worker ${s.bold(target.worker)} · env ${s.bold(target.env ?? '(top level)')} · backend ${s.bold(backend.name)}${s.dim(where)}`,
    );
  }

  /**
   * The width tables fit in: the terminal's columns when stdout is a terminal (COLUMNS when the
   * stream does not say), undefined when stdout is piped (no fitting: nothing is cut for scripts).
   */
  get columns(): number | undefined {
    if (!this.io.stdoutIsTTY) return undefined;
    const fromStream = (this.io.stdout as { columns?: number }).columns;
    if (fromStream && fromStream > 0) return fromStream;
    const fromEnv = Number(this.io.env.COLUMNS);
    return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  }

  /**
   * "Worker my-worker · env staging · backend cloudflare (api.cloudflare.com, account 1a2b…)":
   * the target in plain words, for prompts — the account included where the backend knows it.
   */
  async where(): Promise<string> {
    const backend = await this.backend();
    const target = await this.target();
    // A remote backend's place (host, account) goes in the question; the local store's folder was
    // named by the announce line just above, and is no account.
    const place = backend.name === 'local' ? `backend ${backend.name}` : await this.backendWhere();
    return `Worker ${target.worker} · env ${target.env ?? '(top level)'} · ${place}`;
  }

  /** "backend cloudflare (api.cloudflare.com, account 1a2b…)": the backend and where it writes. */
  async backendWhere(): Promise<string> {
    const backend = await this.backend();
    const target = await this.target();
    return `backend ${backend.name}${backend.describe ? ` (${backend.describe(target)})` : ''}`;
  }

  /**
   * "Creating store prod · backend cloudflare (api.cloudflare.com, account 1a2b…)" on stderr:
   * what an account-level (Secrets Store) write acts on, before it is made.
   */
  async announceAccount(what: string): Promise<void> {
    this.out.note(`${what} · ${await this.backendWhere()}`);
  }

  /** The JSON fields that name the target, shared by every document. */
  async targetJson(): Promise<{ worker: string; env: string | null; backend: string }> {
    const backend = await this.backend();
    const target = await this.target();
    return { worker: target.worker, env: target.env ?? null, backend: backend.name };
  }

  /**
   * Confirmation for destructive actions: --yes answers it; interactive asks; otherwise exit 2
   * with a hint naming --yes. Declining is a cancellation (exit 130), nothing changed.
   */
  async confirm(message: string, what: string): Promise<void> {
    if (this.globals.yes) return;
    if (!this.interactive) {
      throw new UsageError(`${what} needs confirmation, and ${whyNotInteractive(this.io)}`, {
        hint: 'pass --yes to confirm',
      });
    }
    const ok = await this.io.prompter.confirm({ message, default: false });
    if (!ok) throw new CancelledError('cancelled; nothing was changed');
  }
}
