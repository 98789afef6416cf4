#!/usr/bin/env node
// The mycli GitHub Action, step 3 (after action/mask.sh masked every value and mycli was set up):
//
// 1. the CI secrets named in `secrets` (environment variables of the step) are written to a JSON
//    file in RUNNER_TEMP (mode 0600, removed at the end) — never to argv or the log;
// 2. unless `sync: false`, `mycli secret sync FILE --yes` (with `--prune` when asked) makes the
//    Worker's secrets equal to them, in one version;
// 3. `command`, when given, runs as `mycli <command> [--env E] --json`, with MYCLI_SECRETS_FILE
//    naming the file (for `versions upload --secrets-file "$MYCLI_SECRETS_FILE"`);
// 4. the version and deployment ids mycli reported become the step's outputs (GITHUB_OUTPUT:
//    version-id, deployment-id) and MYCLI_VERSION_ID / MYCLI_DEPLOYMENT_ID for later steps
//    (GITHUB_ENV).
//
// Exits with mycli's exit code (README "Exit codes"). No dependencies: it runs on the Node the
// action set up. Tested by test/action/action.test.ts (the steps of action.yml, run with a fake
// GITHUB_OUTPUT / GITHUB_ENV against the built mycli).
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = process.env;
const names = (env.INPUT_SECRETS ?? '').split(/[\s,]+/).filter(Boolean);
const environment = (env.INPUT_ENVIRONMENT ?? '').trim();
const command = (env.INPUT_COMMAND ?? '').trim();
const prune = /^true$/i.test((env.INPUT_PRUNE ?? '').trim());
const sync = !/^false$/i.test((env.INPUT_SYNC ?? '').trim());

/** A word for bash: bare when safe, else single-quoted. */
function shellWord(word) {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run mycli (argv as given, or a bash line); stderr goes to the log, stdout (one JSON document) is parsed. */
function mycli(args, extraEnv = {}) {
  const [file, argv] = typeof args === 'string' ? ['bash', ['-c', args]] : ['mycli', args];
  return new Promise((resolve) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, CI: env.CI || 'true', ...extraEnv } });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', (e) => resolve({ code: 1, doc: undefined, out: '', spawnError: e.message }));
    child.on('close', (code) => {
      let doc;
      try {
        doc = JSON.parse(out);
      } catch {
        doc = undefined;
      }
      resolve({ code: code ?? 1, doc, out });
    });
  });
}

const ids = {};
function learn(doc) {
  if (!doc || typeof doc !== 'object') return;
  const d = doc.deployment;
  const versionId = doc.versionId ?? (d && Array.isArray(d.versions) && d.versions.length === 1 ? d.versions[0].versionId : undefined);
  if (typeof versionId === 'string' && versionId) ids.version = versionId;
  if (d && typeof d.id === 'string' && d.id) ids.deployment = d.id;
}

function report(step, r) {
  if (r.out) process.stdout.write(r.out.endsWith('\n') ? r.out : `${r.out}\n`);
  if (r.code === 0) return;
  const message = r.spawnError ?? r.doc?.error?.message ?? `exit code ${r.code}`;
  // The annotation's text is mycli's own (redacted) message: never a value.
  console.log(`::error::mycli ${step} failed (exit ${r.code}): ${String(message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
}

function finish(code) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `version-id=${ids.version ?? ''}\ndeployment-id=${ids.deployment ?? ''}\n`);
  if (env.GITHUB_ENV) {
    if (ids.version) appendFileSync(env.GITHUB_ENV, `MYCLI_VERSION_ID=${ids.version}\n`);
    if (ids.deployment) appendFileSync(env.GITHUB_ENV, `MYCLI_DEPLOYMENT_ID=${ids.deployment}\n`);
  }
  process.exitCode = code;
}

async function main() {
  if (!names.length && !command) {
    console.log('::error::mycli action: give `secrets` (names of CI secrets to sync), `command`, or both');
    return finish(2);
  }
  const envFlag = environment ? ['--env', environment] : [];
  let dir;
  let file;
  try {
    if (names.length) {
      const values = {};
      for (const name of names) values[name] = env[name] ?? '';
      dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'mycli-action-'));
      file = join(dir, 'secrets.json');
      writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
      if (sync) {
        const r = await mycli(['secret', 'sync', file, '--yes', '--json', ...(prune ? ['--prune'] : []), ...envFlag]);
        report('secret sync', r);
        learn(r.doc);
        if (r.code !== 0) return finish(r.code);
      }
    }
    if (command) {
      const line = `mycli ${command}${environment ? ` --env ${shellWord(environment)}` : ''}${/(^|\s)--json(\s|$)/.test(command) ? '' : ' --json'}`;
      const r = await mycli(line, file ? { MYCLI_SECRETS_FILE: file } : {});
      report(command.split(/\s+/).slice(0, 2).join(' '), r);
      learn(r.doc);
      if (r.code !== 0) return finish(r.code);
    }
    return finish(0);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
