/**
 * mycli serve: a Cloudflare API v4 compatible server over the local store of this folder, for
 * wrangler, the cloudflare backend, CI pipelines and demos without an account.
 *
 * stdout: the API base URL, one line (with --json: one JSON document), printed once listening.
 * stderr: the generated token (when MYCLI_SERVE_TOKEN is not set), how to point wrangler at the
 * server, warnings, and with --debug one line per request. MYCLI_SERVE_LOG=<file> appends a JSON
 * line per request (bodies summarised, secret values redacted).
 */
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { findConfig } from '../config/find.js';
import { SUMMARY } from './summary.js';
import type { RunOf } from '../cli/define-command.js';
import type { command } from './serve.js';
import { UsageError } from '../errors.js';
import { chooseBackend } from '../backends/spec.js';



export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port "${raw}" is not a port number`, { hint: 'give 0-65535 (0 picks a free port)' });
  }
  return port;
}

export const run: RunOf<typeof command> = async (ctx, _args, opts) => {
  const port = parsePort(opts.port);
  const host = opts.host.trim();
  if (!host) throw new UsageError('--host is empty', { hint: 'for example --host 127.0.0.1' });
  // serve always serves the local store: only a backend chosen for this run (flag, env) is refused.
  const { spec: backendSpec } = chooseBackend({ flag: ctx.globals.backend, env: ctx.io.env, cwd: ctx.io.cwd, projectDir: ctx.io.cwd });
  if (backendSpec && backendSpec !== 'local') {
    throw new UsageError(`mycli serve serves the local store; --backend ${backendSpec} does not apply`, {
      hint: 'drop --backend (or MYCLI_BACKEND) for serve',
    });
  }
  const server = await import('../serve/server.js');
  const configPath = ctx.globals.config ? resolve(ctx.io.cwd, ctx.globals.config) : findConfig(ctx.io.cwd);
  const projectDir = configPath ? dirname(configPath) : resolve(ctx.io.cwd);
  const given = ctx.io.env.MYCLI_SERVE_TOKEN;
  if (given !== undefined && given.trim().length < 8) {
    throw new UsageError('MYCLI_SERVE_TOKEN is shorter than 8 characters', { hint: 'use a longer token, or unset it to get a generated one' });
  }
  const token = given?.trim() || randomBytes(24).toString('base64url');
  // The request log is asked for: a file that cannot be written is refused now, not skipped
  // silently request after request.
  const logFile = ctx.io.env.MYCLI_SERVE_LOG ? resolve(ctx.io.cwd, ctx.io.env.MYCLI_SERVE_LOG) : undefined;
  if (logFile) {
    try {
      const { appendFile } = await import('node:fs/promises');
      await appendFile(logFile, '', { mode: 0o600 });
      // A log that existed before keeps its mode on append: make it private now.
      await (await import('node:fs/promises')).chmod(logFile, 0o600).catch(() => undefined);
    } catch (e) {
      throw new UsageError(`cannot write MYCLI_SERVE_LOG ${logFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        hint: 'set MYCLI_SERVE_LOG to a file in a folder that exists and is writable, or unset it',
      });
    }
  }

  const s = ctx.out.err;
  if (!server.isLoopback(host)) {
    ctx.out.warn(
      s.bold(`listening on ${host}, which is NOT a loopback address: anyone who can reach this host and has the token can read secret names and change secrets, versions and deployments.`),
    );
  }
  const running = await server.startServer({
    host,
    port,
    projectDir,
    token,
    env: ctx.io.env,
    log: ctx.out.debugEnabled ? (line) => ctx.out.note(s.dim(line)) : undefined,
    logFile,
    notice: (line) => ctx.out.note(line),
  });

  ctx.out.document({ url: running.url, host: running.host, port: running.port, accountId: server.DEFAULT_ACCOUNT.id, projectDir });
  ctx.out.data(running.url);
  ctx.out.note(`mycli serve: Cloudflare API v4 over the local store of ${projectDir}`);
  ctx.out.note(`listening on ${running.url}`);
  if (!given) ctx.out.note(`token (generated; set MYCLI_SERVE_TOKEN to choose one): ${token}`);
  ctx.out.note(
    s.dim(
      `wrangler: CLOUDFLARE_API_BASE_URL=${running.url} CLOUDFLARE_API_TOKEN=${given ? '$MYCLI_SERVE_TOKEN' : '<token>'} CLOUDFLARE_ACCOUNT_ID=${server.DEFAULT_ACCOUNT.id}`,
    ),
  );
  ctx.out.note(s.dim('press Ctrl-C to stop'));

  const signals = listenForSignals(() => running.server.closeAllConnections());
  try {
    const which = await signals.first;
    ctx.out.note(`${typeof which === 'string' ? `${which}: ` : ''}stopping; finishing requests in flight`);
    await running.close();
    ctx.out.note('stopped');
  } finally {
    signals?.dispose();
  }
};

/**
 * SIGINT/SIGTERM: the first starts a graceful stop, a second one drops open connections.
 * The listeners stay installed until the server is closed: a library that re-raises a signal
 * when it sees no other listener (signal-exit, used by @inquirer/core) must keep seeing ours.
 */
function listenForSignals(onRepeat: () => void): { first: Promise<string>; dispose: () => void } {
  let resolveFirst!: (sig: string) => void;
  const first = new Promise<string>((resolve) => (resolveFirst = resolve));
  let seen = false;
  const on = (sig: NodeJS.Signals) => {
    if (seen) onRepeat();
    seen = true;
    resolveFirst(sig);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    first,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
