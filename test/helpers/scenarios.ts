/** Small steps that command tests share: make versions and deployments through the CLI. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Project, RunResult } from './cli.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function ok(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed with exit ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
}

/** `secret put NAME` with a piped value; returns the new version id. */
export async function put(p: Project, name: string, value: string, extra: string[] = []): Promise<string> {
  const r = ok(await p.run(['secret', 'put', name, '--json', ...extra], { stdin: value }), `secret put ${name}`);
  expect(r.all).not.toContain(value);
  return r.json().versionId as string;
}

/** `versions upload`; returns the new version id. */
export async function upload(p: Project, extra: string[] = []): Promise<string> {
  const r = ok(await p.run(['versions', 'upload', ...extra]), 'versions upload');
  return r.stdout.trim();
}

/** `versions deploy SPEC... --yes`. */
export async function deploy(p: Project, ...specs: string[]): Promise<RunResult> {
  return ok(await p.run(['versions', 'deploy', ...specs, '--yes']), `versions deploy ${specs.join(' ')}`);
}

/** The live split as [versionId, percentage] pairs. */
export async function liveSplit(p: Project, extra: string[] = []): Promise<[string, number][]> {
  const r = ok(await p.run(['deployments', 'status', '--json', ...extra]), 'deployments status');
  return (r.json().versions as { id: string; percentage: number }[]).map((v) => [v.id, v.percentage]);
}

export async function versionIds(p: Project, extra: string[] = []): Promise<string[]> {
  const r = ok(await p.run(['versions', 'list', '--json', ...extra]), 'versions list');
  return (r.json().versions as { id: string }[]).map((v) => v.id);
}

export async function secretNames(p: Project, extra: string[] = []): Promise<string[]> {
  const r = ok(await p.run(['secret', 'list', '--json', ...extra]), 'secret list');
  return (r.json().secrets as { name: string }[]).map((s) => s.name);
}

/** A project with two uploaded versions: v1 deployed at 100%, v2 (changed [vars]) not deployed. */
export async function twoVersions(p: Project): Promise<{ v1: string; v2: string }> {
  const v1 = await upload(p, ['--message', 'first']);
  await deploy(p, `${v1}@100%`);
  p.write('wrangler.toml', readToml(p).replace('GREETING = "hello"', 'GREETING = "hello again"'));
  const v2 = await upload(p, ['--message', 'second']);
  return { v1, v2 };
}

export function readToml(p: Project): string {
  return readFileSync(join(p.dir, 'wrangler.toml'), 'utf8');
}
