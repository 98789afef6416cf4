/**
 * Option rows that several declarations share. A leaf module: declarations are in the main
 * bundle at start-up, so they take these rows from here and not from the modules that act on
 * them (a command's run loads only when it runs).
 */

/** The flag every command that checks required secrets declares (the check: versions/required.ts). */
export const FORCE_MISSING_SECRETS = ['--force-missing-secrets', 'go on even when a version lacks a secret named in [secrets] required'] as const;

/** The Secrets Store a `secrets-store secret` command acts on (resolved in secrets-store/common.ts). */
export const STORE_OPTION = ['--store <store>', "store name or id (default: the store of the config's secrets_store_secrets)"] as const;
