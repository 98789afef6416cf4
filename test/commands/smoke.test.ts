import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/cli.js';

describe('secret put (smoke)', () => {
  it('stores a piped value and lists its name, never the value', async () => {
    const p = makeProject();
    const put = await p.run(['secret', 'put', 'API_KEY'], { stdin: 'sup3r-s3cret\n' });
    expect(put.code).toBe(0);
    const list = await p.run(['secret', 'list', '--json']);
    expect(list.json().secrets).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);
    expect(put.all + list.all).not.toContain('sup3r-s3cret');
  });
});
