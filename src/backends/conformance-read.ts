/**
 * The checks of the conformance kit that write nothing: `mycli backend check --read-only`, and
 * the first part of every `backend check` (run before any throwaway Worker is created, so that
 * credentials and the account are known — and named — before the user is asked to allow writes).
 * The target is a Worker name that was never created: reads of it must say "not found" (exit 3)
 * or give an empty answer; any other error (credentials, network, a malformed answer) fails.
 */
import type { Check, CheckContext } from './conformance.js';
import { CheckFailure } from './conformance.js';
import { hasCapabilities, missingMembers } from './capabilities.js';
import type { CapabilityName } from './types.js';

function notFoundOrEmpty(what: string) {
  return async (read: () => Promise<unknown>): Promise<void> => {
    let answer: unknown;
    try {
      answer = await read();
    } catch (e) {
      const exitCode = (e as { exitCode?: number } | undefined)?.exitCode;
      if (exitCode === 3) return;
      const message = e instanceof Error ? e.message : String(e);
      throw new CheckFailure(`${what}: expected "not found" (exit 3) or an empty list, got ${exitCode === undefined ? 'an untyped error' : `exit code ${exitCode}`}: ${message}`);
    }
    if (!Array.isArray(answer)) throw new CheckFailure(`${what}: expected an array, got ${typeof answer}`);
    if (answer.length !== 0) throw new CheckFailure(`${what}: a Worker that was never created has ${answer.length} entries`);
  };
}

const read = <C extends CapabilityName>(c: Check<C>): Check => c as unknown as Check;

export const readOnlyChecks: Check[] = [
  read({
    id: 'read.declared-members',
    title: 'every declared capability has its members',
    needs: [],
    async run(c: CheckContext) {
      const declared = (Object.keys(c.backend.capabilities) as CapabilityName[]).filter((n) => c.backend.capabilities[n]);
      if (hasCapabilities(c.backend, ...declared)) return;
      throw new CheckFailure(`declared but missing: ${[...new Set(declared.flatMap((n) => missingMembers(c.backend, n)))].join('; ')}`);
    },
  }),
  read({
    id: 'read.secrets-unknown-worker',
    title: 'the secrets of a Worker that does not exist: not found or none (credentials work)',
    needs: ['secrets'],
    async run(c: CheckContext<'secrets'>) {
      await notFoundOrEmpty('listSecrets of a Worker never created')(() => c.backend.listSecrets(c.target));
    },
  }),
  read({
    id: 'read.versions-unknown-worker',
    title: 'the versions and deployments of a Worker that does not exist: not found or none',
    needs: ['versions'],
    async run(c: CheckContext<'versions'>) {
      await notFoundOrEmpty('listVersions of a Worker never created')(() => c.backend.listVersions(c.target));
      await notFoundOrEmpty('listDeployments of a Worker never created')(() => c.backend.listDeployments(c.target));
    },
  }),
  read({
    id: 'read.secrets-store-list',
    title: 'the Secrets Store lists its stores',
    needs: ['secretsStore'],
    async run(c: CheckContext<'secretsStore'>) {
      const stores = await c.backend.secretsStore.listStores(c.target);
      if (!Array.isArray(stores)) throw new CheckFailure('listStores must return an array');
    },
  }),
];
