/**
 * One list of value-like fields (backends/public.ts VALUE_FIELDS), one function that makes a
 * binding public, and every output path behind it (issue 21 item 1): a field in the list never
 * reaches output, whichever backend returned it and whichever command or answer shows it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicBinding, VALUE_FIELDS } from '../../src/backends/public.js';
import { mapVersion } from '../../src/backends/cloudflare/map.js';
import { bindingJson } from '../../src/serve/shapes.js';
import type { Backend, Binding, Version } from '../../src/backends/types.js';
import { makeProject } from '../helpers/cli.js';

const TYPES = ['secret_text', 'secret_key', 'kv_namespace', 'mtls_certificate', 'some_future_binding'];

/** A binding of `type` carrying every value-like field, each with its own marker. */
function leaky(type: string, name = 'B'): Binding & Record<string, unknown> {
  const b: Record<string, unknown> = { type, name, namespace_id: 'ns-1' };
  for (const f of VALUE_FIELDS) b[f] = `leak-${type}-${f}-zz9`;
  return b as Binding & Record<string, unknown>;
}
const markers = () => TYPES.flatMap((t) => [...VALUE_FIELDS].map((f) => `leak-${t}-${f}-zz9`));

describe('value-like fields', () => {
  it('publicBinding drops every one of them from any binding that is not a var, and keeps the rest', () => {
    expect(VALUE_FIELDS.size).toBeGreaterThanOrEqual(10);
    for (const type of TYPES) {
      const out = publicBinding(leaky(type)) as Record<string, unknown>;
      for (const f of VALUE_FIELDS) expect(out, `${type}.${f}`).not.toHaveProperty(f);
      expect(out.name).toBe('B');
      // Only what is not a value stays (a secret keeps its type and name alone).
      if (type === 'secret_text') expect(out).toEqual({ type, name: 'B' });
      else expect(out.namespace_id).toBe('ns-1');
    }
    // A var keeps its value: that is what a var is.
    expect(publicBinding({ type: 'plain_text', name: 'V', text: 'shown' } as Binding)).toEqual({ type: 'plain_text', name: 'V', text: 'shown' });
  });

  it('the Cloudflare mapping and mycli serve answers go through it', () => {
    const v = mapVersion({ id: 'v1', number: 1, resources: { bindings: TYPES.map((t) => leaky(t, t.toUpperCase())) } } as never);
    const served = TYPES.map((t) => bindingJson(leaky(t)));
    const text = JSON.stringify([v, served]);
    for (const m of markers()) expect(text).not.toContain(m);
  });

  it('no other source file keeps a list of its own (the fields only public.ts names)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('src');
    // Names only a value list would hold ('text' and 'value' are ordinary words elsewhere).
    const telling = ['key_base64', 'key_jwk', 'private_key'];
    const holders = files.filter((f) => telling.some((w) => readFileSync(f, 'utf8').includes(w)));
    expect(holders).toEqual([join('src', 'backends', 'public.ts')]);
  });

  it('a backend that returns them (injected into main) never gets one to the output of versions list/view, text or --json', async () => {
    const version: Version = {
      id: '0f0e0d0c-0000-4000-8000-000000000001',
      number: 1,
      createdOn: '2026-01-01T00:00:00.000Z',
      bindings: TYPES.map((t) => leaky(t, t.toUpperCase())),
    };
    const deployment = { id: 'd-1', createdOn: version.createdOn, versions: [{ versionId: version.id, percentage: 100 }] };
    const backend: Backend = {
      name: 'leaky',
      capabilities: { secrets: true, versions: true, gradualDeployments: false, rollback: false, versionedSecrets: false },
      listSecrets: async () => [{ name: 'SECRET_TEXT', type: 'secret_text', value: 'leak-secret_text-value-zz9' } as never],
      updateSecrets: async () => ({ changes: [] }),
      listVersions: async () => [version],
      getVersion: async () => version,
      uploadVersion: async () => version,
      listDeployments: async () => [deployment],
      deploy: async () => deployment,
    };
    const p = makeProject();
    const outputs: string[] = [];
    for (const argv of [['versions', 'view', '1'], ['versions', 'view', '1', '--json'], ['versions', 'list', '--json'], ['secret', 'list', '--json']]) {
      const r = await p.run(argv, { backend });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      outputs.push(r.all);
    }
    // The bindings were shown (by name), their values were not.
    expect(outputs[1]).toContain('SECRET_KEY');
    for (const out of outputs) for (const m of markers()) expect(out).not.toContain(m);
  });
});
