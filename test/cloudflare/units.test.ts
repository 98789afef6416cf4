/** Pure parts of the cloudflare backend: Retry-After, 10220 names, the schema checker itself. */
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, secretNamesFromMessage, authFromEnv } from '../../src/backends/cloudflare/client.js';
import { mapDeployment, mapVersion, multipart } from '../../src/backends/cloudflare/backend.js';
import { check, findOperation } from './schema.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ])('%j -> %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('secretNamesFromMessage (10220)', () => {
  it.each([
    ['A deployment could not be created because the following secrets have changed since the target version: API_KEY, DB_URL', ['API_KEY', 'DB_URL']],
    ["the secrets of version 1 differ from the live version 2's: TOKEN_A", ['TOKEN_A']],
    ['Secrets "A" and "B" changed', ['A', 'B']],
    ['secrets changed; use force=true', []],
    ['changed: this is a sentence.', []],
  ])('%s', (message, names) => {
    expect(secretNamesFromMessage(message)).toEqual(names);
  });
});

describe('credentials', () => {
  it('a token wins; key without email is an auth error naming both', () => {
    expect(authFromEnv({ CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_API_KEY: 'k', CLOUDFLARE_EMAIL: 'e' })).toEqual({ kind: 'token', token: 't' });
    expect(() => authFromEnv({ CLOUDFLARE_API_KEY: 'k' })).toThrow(/CLOUDFLARE_EMAIL/);
    try {
      authFromEnv({});
    } catch (e) {
      expect(e).toMatchObject({ exitCode: 4 });
    }
  });
});

describe('mapping API shapes', () => {
  it('a version: number, metadata, annotations, bindings without secret text, script etag', () => {
    const v = mapVersion({
      id: 'v1',
      number: 7,
      metadata: { created_on: '2025-01-01T00:00:00Z', author_email: 'a@b.c', source: 'wrangler' },
      annotations: { 'workers/message': 'm', 'workers/tag': 't', 'workers/triggered_by': 'secret' },
      resources: {
        bindings: [
          { type: 'secret_text', name: 'S', text: 'should-not-leak' },
          { type: 'plain_text', name: 'P', text: 'p' },
          { type: 'kv_namespace', name: 'KV', namespace_id: 'ns' },
        ],
        script: { etag: 'abc' },
      },
    });
    expect(v).toEqual({
      id: 'v1',
      number: 7,
      createdOn: '2025-01-01T00:00:00Z',
      author: 'a@b.c',
      source: 'secret',
      message: 'm',
      tag: 't',
      scriptHash: 'abc',
      bindings: [
        { type: 'secret_text', name: 'S' },
        { type: 'plain_text', name: 'P', text: 'p' },
        { type: 'kv_namespace', name: 'KV', namespace_id: 'ns' },
      ],
    });
    expect(JSON.stringify(v)).not.toContain('should-not-leak');
  });

  it('a deployment', () => {
    expect(
      mapDeployment({
        id: 'd1',
        created_on: '2025-01-01T00:00:00Z',
        author_email: 'a@b.c',
        source: 'api',
        strategy: 'percentage',
        versions: [{ version_id: 'v1', percentage: 100 }],
        annotations: { 'workers/message': 'hi', 'workers/triggered_by': 'rollback' },
      }),
    ).toEqual({ id: 'd1', createdOn: '2025-01-01T00:00:00Z', author: 'a@b.c', source: 'rollback', message: 'hi', versions: [{ versionId: 'v1', percentage: 100 }] });
  });

  it('multipart bodies are well-formed', () => {
    const { data, contentType } = multipart([{ name: 'metadata', contentType: 'application/json', data: '{}' }]);
    const boundary = contentType.split('boundary=')[1];
    expect(data.toString()).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{}\r\n--${boundary}--\r\n`);
  });
});

describe('the schema checker catches bad bodies (so the request-shape tests mean something)', () => {
  const body = (method: string, path: string) => findOperation(method, path)!.op.requestBody!;
  it('PUT secrets without text, or with another type', () => {
    const s = body('PUT', '/accounts/x/workers/scripts/w/secrets').content['application/json'].schema;
    expect(check(s, { name: 'A', text: 'v', type: 'secret_text' })).toEqual([]);
    expect(check(s, { name: 'A', type: 'secret_text' })).not.toEqual([]);
    expect(check(s, { name: 'A', text: 'v', type: 'plain_text' })).not.toEqual([]);
  });
  it('POST deployments with a bad strategy, a missing version_id or a percentage out of range', () => {
    const s = body('POST', '/accounts/x/workers/scripts/w/deployments').content['application/json'].schema;
    const good = { strategy: 'percentage', versions: [{ version_id: '6a1b9a4c-3e0e-4b8f-9c53-6d8e2f1f0a11', percentage: 100 }] };
    expect(check(s, good)).toEqual([]);
    expect(check(s, { ...good, strategy: 'all' })).not.toEqual([]);
    expect(check(s, { ...good, versions: [{ percentage: 100 }] })).not.toEqual([]);
    expect(check(s, { ...good, versions: [{ version_id: good.versions[0].version_id, percentage: 0 }] })).not.toEqual([]);
    expect(check(s, { ...good, id: 'x' })).toEqual(['$.id: read-only, must not be sent', '$.id: not a uuid']);
  });
  it('PATCH secrets-bulk accepts null (delete) and rejects a bare string', () => {
    const s = body('PATCH', '/accounts/x/workers/scripts/w/secrets-bulk').content['application/merge-patch+json'].schema;
    expect(check(s, { secrets: { A: null, B: { name: 'B', text: 'b', type: 'secret_text' } } })).toEqual([]);
    expect(check(s, { secrets: { A: 'plain' } })).not.toEqual([]);
  });
  it('an unknown path matches no operation', () => {
    expect(findOperation('POST', '/accounts/x/workers/scripts/w/secrets')).toBeUndefined();
  });
});
