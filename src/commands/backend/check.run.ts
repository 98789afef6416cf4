/**
 * mycli backend check [SPEC]: run the conformance kit — the same checks the built-in backends
 * pass in this project's tests — against any backend, on throwaway Workers, in a throwaway
 * project folder. One pass/fail line per behaviour; exit 1 when any check fails.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunOf } from '../../cli/define-command.js';
import type { command } from './check.js';
import { OperationError } from '../../errors.js';
import { errorJson } from '../../cli/output.js';
import { loadProject } from '../../config/load.js';
import { resolveBackend } from '../../backends/resolve.js';
import { chooseBackend } from '../../backends/spec.js';
import type { Target } from '../../backends/types.js';
import type { CheckResult } from '../../backends/conformance.js';
import { shellWord } from '../../cli/hint.js';



export const run: RunOf<typeof command> = async (ctx, [spec], opts) => {
  const o = { spec, ...opts };
  // The project gives the configured backend and its [mycli.options]; no Worker name is needed.
  const project = await loadProject({ cwd: ctx.io.cwd, config: ctx.globals.config, env: ctx.globals.env, name: 'mycli-check' });
  // SPEC, when given, stands for --backend.
  const { spec: chosen, baseDir } = chooseBackend({ flag: o.spec ?? ctx.globals.backend, env: ctx.io.env, config: project.backendSpec, cwd: ctx.io.cwd, projectDir: project.projectDir });
  const workDir = await mkdtemp(join(tmpdir(), 'mycli-check-'));
  // The local backend keeps its throwaway store and key in the throwaway folder, never the user's.
  const env: Record<string, string | undefined> = { ...ctx.io.env, MYCLI_STATE_DIR: join(workDir, '.mycli') };
  if (chosen === 'local') env.MYCLI_LOCAL_KEY = randomBytes(32).toString('hex');
  const { throwawayWorkerName, runConformance } = await import('../../backends/conformance.js');
  const { readOnlyChecks } = await import('../../backends/conformance-read.js');
  const first: Target = { worker: throwawayWorkerName(), projectDir: workDir, accountId: project.accountId, declared: false };
  const backend = await resolveBackend({
    spec: chosen,
    baseDir,
    target: first,
    options: project.backendOptions,
    env,
    log: (line) => ctx.out.note(line),
    debug: (line) => ctx.out.debug(line),
    // The kit must see what a plugin returns (secret values included) to report it.
    unstripped: true,
  });
  const s = ctx.out.err;
  const where = `${s.bold(backend.name)} (${chosen})`;
  ctx.out.note(o.readOnly ? `Checking backend ${where}, read-only: nothing is created or changed` : `Checking backend ${where}: first what can be checked without writing`);
  const only = o.only?.split(',').map((x) => x.trim()).filter(Boolean);
  const onResult = (r: CheckResult) => {
    if (ctx.out.json) return;
    const mark = r.status === 'pass' ? s.green('✓ pass') : r.status === 'fail' ? s.red('✗ FAIL') : s.dim('- skip');
    const line = `${mark}  ${r.id.padEnd(38)} ${r.title}`;
    ctx.out.write(line + '\n');
    if (r.reason) ctx.out.write(`        ${r.status === 'fail' ? s.red(r.reason) : s.dim(r.reason)}\n`);
  };
  try {
    // Reads first, on a Worker name that is never created: credentials and the account are known
    // (and named below) before anything is written.
    const results = await runConformance({ backend, only, checks: readOnlyChecks, makeTarget: () => ({ ...first }), onResult });
    const readFailed = results.some((r) => r.status === 'fail');
    if (!o.readOnly && !readFailed) {
      // The throwaway Workers live where the backend writes: on cloudflare or a plugin's service,
      // the user's real account. Say where and what, and ask (or need --yes). local writes only
      // into a throwaway folder.
      if (chosen !== 'local') {
        const place = backend.describe ? ` (${backend.describe(first)})` : '';
        ctx.out.note(
          `The full kit creates and deletes throwaway Workers named ${s.bold('mycli-check-<random>')} (one per check, each deleted after it) in backend ${s.bold(backend.name)}${place}.`,
        );
        ctx.out.note(s.dim(`  to check without writing: \`${ctx.command(`backend check${o.spec !== undefined ? ` ${shellWord(o.spec)}` : ''} --read-only`)}\``));
        await ctx.confirm(`Create and delete throwaway Workers in backend ${backend.name}${place}?`, `the full conformance kit on backend ${backend.name}${place}`);
      }
      results.push(
        ...(await runConformance({
          backend,
          only,
          makeTarget: async () => {
        const target: Target = { ...first, worker: throwawayWorkerName() };
        await backend.createWorker?.(target);
        return target;
      },
          cleanup: async (target) => {
            await backend.deleteWorker?.(target);
          },
          onResult,
        })),
      );
    } else if (!o.readOnly) {
      ctx.out.note('the read-only checks failed: no throwaway Worker was created');
    }
    const count = (st: string) => results.filter((r) => r.status === st).length;
    const summary = { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
    const line = `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
    const failure =
      summary.failed > 0
        ? new OperationError(`backend ${backend.name} failed ${summary.failed} of ${results.length} checks (${line})`, {
            hint: 'each failing line above names the behaviour and what went wrong',
          })
        : undefined;
    // One document under --json, the failure included (the error that follows goes to stderr).
    ctx.out.document({ backend: backend.name, spec: chosen, readOnly: Boolean(o.readOnly), ...summary, results, ...(failure ? { error: errorJson(failure) } : {}) });
    if (failure) throw failure;
    ctx.out.success(`backend ${backend.name} passes the ${o.readOnly ? 'read-only checks of the ' : ''}conformance kit (${line})`);
  } finally {
    await backend.close?.();
    await rm(workDir, { recursive: true, force: true });
  }
};
