/** Which backend runs: --backend > MYCLI_BACKEND > [mycli] backend > local, and where a relative module path resolves from. */
import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/backends/spec.js';

const base = { cwd: '/work/here', projectDir: '/work/project' };

describe('chooseBackend', () => {
  it.each([
    ['--backend wins over everything', { flag: 'cloudflare', env: { MYCLI_BACKEND: './env.mjs' }, config: './cfg.mjs' }, 'cloudflare', '/work/here', 'flag'],
    ['MYCLI_BACKEND wins over the config', { env: { MYCLI_BACKEND: './env.mjs' }, config: './cfg.mjs' }, './env.mjs', '/work/here', 'env'],
    ['the config, resolved from the project folder', { env: {}, config: './cfg.mjs' }, './cfg.mjs', '/work/project', 'config'],
    ['an empty MYCLI_BACKEND is unset', { env: { MYCLI_BACKEND: '' }, config: './cfg.mjs' }, './cfg.mjs', '/work/project', 'config'],
    ['nothing chosen: local', { env: {} }, 'local', '/work/project', 'default'],
    ['an empty --backend is given (and refused later as empty)', { flag: '', env: { MYCLI_BACKEND: 'cloudflare' } }, '', '/work/here', 'flag'],
  ] as const)('%s', (_l, given, spec, baseDir, from) => {
    expect(chooseBackend({ ...base, ...given })).toEqual({ spec, baseDir, from });
  });
});
