/**
 * The one-line summary of each top-level command: the program lists them (without loading the
 * commands), and each command's group uses its own. A leaf module, so that the command modules
 * can import it without importing the command table that imports them.
 */
export const SUMMARY = {
  secret: 'manage the secrets of a Worker (each change deploys a new version)',
  versions: 'list, upload, deploy and roll back versions of a Worker',
  deployments: 'see which versions serve traffic',
  rollback: 'deploy an earlier version at 100% again (default: the one deployed before the current)',
  backend: 'work with backends (local, cloudflare, plugins)',
  serve: 'serve a Cloudflare-compatible API (/client/v4) over the local store, for wrangler and CI',
  types: 'write worker-configuration.d.ts (the Env of the Worker) from the config and the backend',
  'secrets-store': 'manage the account-level Secrets Store (stores and secrets shared by Workers)',
  store: 'check and tidy the local store (verify, gc)',
  whoami: 'show the backend, the account(s) and whether the credentials work',
  complete: 'print a shell completion script (bash, zsh, fish, powershell)',
} as const;

export type TopName = keyof typeof SUMMARY;
