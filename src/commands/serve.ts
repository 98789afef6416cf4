/**
 * mycli serve: a Cloudflare API v4 compatible server over the local store of this folder, for
 * wrangler, the cloudflare backend, CI pipelines and demos without an account.
 *
 * stdout: the API base URL, one line (with --json: one JSON document), printed once listening.
 * stderr: the generated token (when MYCLI_SERVE_TOKEN is not set), how to point wrangler at the
 * server, warnings, and with --debug one line per request. MYCLI_SERVE_LOG=<file> appends a JSON
 * line per request (bodies summarised, secret values redacted).
 */
import { SUMMARY } from './summary.js';
import { defineCommand } from '../cli/define-command.js';

export const command = defineCommand({
  name: 'serve',
  description: SUMMARY.serve,
  options: [
    ['--port <port>', 'port to listen on (0: any free port)', '8787'],
    ['--host <host>', 'address to listen on', '127.0.0.1'],
  ],
  notes: {
    before: "\nPoint wrangler at it:\n  CLOUDFLARE_API_BASE_URL=http://127.0.0.1:8787/client/v4 CLOUDFLARE_API_TOKEN=<token> \\\n  CLOUDFLARE_ACCOUNT_ID=<any id> wrangler secret list\n\nThe token is MYCLI_SERVE_TOKEN, or a new one printed on stderr at start.",
  },
  examples: [
    'mycli serve                       # http://127.0.0.1:8787/client/v4',
    'mycli serve --port 0               # any free port, printed on stdout',
  ],
});
