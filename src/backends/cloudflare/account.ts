/**
 * Which Cloudflare account the requests go to: CLOUDFLARE_ACCOUNT_ID, else `account_id` from
 * the config, else the one account the credentials can see (GET /accounts, asked once per
 * client). None: an auth error; several: a usage error listing them.
 */
import { AuthError, UsageError } from '../../errors.js';
import type { RequestOptions } from './request.js';

/** How the lookup lists the accounts (the client's paginate). */
export type ListAccounts = (
  o: RequestOptions,
  pick: (result: unknown) => { id?: unknown; name?: unknown }[],
  key: (item: { id?: unknown; name?: unknown }) => string,
) => Promise<{ id?: unknown; name?: unknown }[]>;

export class AccountLookup {
  private accountPromise?: Promise<string>;
  /** The account GET /accounts found, once it answered (named by `describe` from then on). */
  private looked?: string;

  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly list: ListAccounts,
    private readonly debug: (line: string) => void,
  ) {}

  account(configured?: string): Promise<string> {
    const fromEnv = this.env.CLOUDFLARE_ACCOUNT_ID?.trim();
    if (fromEnv) return Promise.resolve(fromEnv);
    if (configured?.trim()) return Promise.resolve(configured.trim());
    if (!this.accountPromise) {
      this.accountPromise = (async () => {
        const accounts = await this.list(
          { method: 'GET', path: '/accounts', query: { per_page: 50 } },
          (r) => (Array.isArray(r) ? (r as { id?: unknown; name?: unknown }[]) : []).filter((a) => typeof a?.id === 'string'),
          (a) => String(a.id),
        );
        if (accounts.length === 1) {
          this.debug(`account: ${String(accounts[0].id)} (the only one these credentials can see)`);
          this.looked = String(accounts[0].id);
          return this.looked;
        }
        if (accounts.length === 0) {
          throw new AuthError('these Cloudflare credentials cannot see any account', {
            hint: 'give the token access to the account of the Worker (Account resources), or set CLOUDFLARE_ACCOUNT_ID',
          });
        }
        const list = accounts.map((a) => `${typeof a.name === 'string' ? a.name : '(no name)'} (${String(a.id)})`).join(', ');
        throw new UsageError(`these credentials can use ${accounts.length} accounts: ${list}; which one is meant?`, {
          hint: 'set CLOUDFLARE_ACCOUNT_ID to the id of one of them (or account_id in the config)',
        });
      })();
      this.accountPromise.catch(() => undefined);
    }
    return this.accountPromise;
  }

  /** The account when known without a request (for `describe`): given, or already looked up. */
  knownAccount(configured?: string): string | undefined {
    return this.env.CLOUDFLARE_ACCOUNT_ID?.trim() || configured?.trim() || this.looked;
  }
}
