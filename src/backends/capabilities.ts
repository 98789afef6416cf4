/**
 * What each capability promises: the Backend members a backend that declares it must have.
 *
 * One table, used three ways:
 * - the type `BackendWith<C>`: a backend known to have capabilities C, whose members for them
 *   are required (commands and the conformance kit call `backend.listVersions(...)`, no `!`);
 * - the check at a plugin's edge (plugin.ts): a plugin that declares a capability without its
 *   members is refused when it loads, naming each missing member;
 * - the guard behind `ctx.backendWith(...)` and the kit (`requireCapabilities`,
 *   `hasCapabilities`): the flag AND the members, so the narrowing is never a lie. A built-in or
 *   injected backend that declares a capability without its members fails at use, clearly
 *   (PluginError, exit 1), instead of with "listVersions is not a function".
 */
import { PluginError, UsageError } from '../errors.js';
import type { Backend, Capabilities, CapabilityName } from './types.js';

/** Capability -> the members it requires. */
export const CAPABILITY_MEMBERS = {
  secrets: ['listSecrets', 'updateSecrets'],
  versions: ['listVersions', 'getVersion', 'uploadVersion', 'listDeployments', 'deploy'],
  gradualDeployments: ['listDeployments', 'deploy'],
  rollback: ['listDeployments', 'deploy'],
  versionedSecrets: ['updateSecrets'],
  secretsStore: ['secretsStore'],
  health: ['queryHealth'],
  expectLive: ['listDeployments', 'deploy'],
} as const satisfies { readonly [C in CapabilityName]-?: readonly (keyof Backend)[] };

/** Every capability, in the order of the table. */
export const CAPABILITY_NAMES = Object.keys(CAPABILITY_MEMBERS) as CapabilityName[];

/** The members capability C (or any of the union C) requires. */
export type MembersOf<C extends CapabilityName> = (typeof CAPABILITY_MEMBERS)[C][number];

/** A backend that has capabilities C: their flags are true and their members are present. */
export type BackendWith<C extends CapabilityName> = Backend &
  Required<Pick<Backend, MembersOf<C>>> & { readonly capabilities: Capabilities & { readonly [K in C]: true } };

/** How a present member looks: methods are functions, `secretsStore` an object. */
const KIND: { readonly [M in MembersOf<CapabilityName>]: 'function' | 'object' } = {
  listSecrets: 'function',
  updateSecrets: 'function',
  listVersions: 'function',
  getVersion: 'function',
  uploadVersion: 'function',
  listDeployments: 'function',
  deploy: 'function',
  secretsStore: 'object',
  queryHealth: 'function',
};

function present(backend: object, member: MembersOf<CapabilityName>): boolean {
  const v = (backend as Record<string, unknown>)[member];
  return KIND[member] === 'function' ? typeof v === 'function' : typeof v === 'object' && v !== null;
}

/** The members missing for capability `c`, whether or not it is declared ("listVersions: must be a function"). */
export function missingMembers(backend: object, c: CapabilityName): string[] {
  const members: readonly MembersOf<CapabilityName>[] = CAPABILITY_MEMBERS[c];
  return members.filter((m) => !present(backend, m)).map((m) => `${m}: must be ${KIND[m] === 'function' ? 'a function' : 'an object'} (capability ${c} is declared)`);
}

/** Problems with a backend's members for the capabilities it declares (empty when it is usable). */
export function capabilityProblems(backend: object, capabilities: Partial<Capabilities>): string[] {
  return CAPABILITY_NAMES.filter((c) => capabilities[c] === true).flatMap((c) => missingMembers(backend, c));
}

/** true when `backend` declares every capability in `needs` and has their members: narrows the type. */
export function hasCapabilities<C extends CapabilityName>(backend: Backend, ...needs: C[]): backend is BackendWith<C> {
  return needs.every((c) => backend.capabilities[c] === true && missingMembers(backend, c).length === 0);
}

/** The words for a capability in "the X backend does not support ...". */
export const CAPABILITY_WORDS: Record<CapabilityName, string> = {
  secrets: 'secrets',
  versions: 'versions',
  gradualDeployments: 'gradual deployments (two versions sharing traffic)',
  rollback: 'rollback',
  versionedSecrets: 'versioned secrets (`versions secret ...`)',
  secretsStore: 'the Secrets Store (`secrets-store ...`)',
  health: 'traffic health per version (the `health` capability, which analysis gates such as --max-error-rate read)',
  expectLive: 'deploying only over the deployment it expects (DeployInput.expectLive)',
};

/**
 * `backend` narrowed to BackendWith<C>, or a clear error: a capability it does not declare is a
 * usage error (exit 2, choose another backend); one it declares without the members is a broken
 * backend (PluginError, exit 1, naming the members).
 */
export function requireCapabilities<C extends CapabilityName>(backend: Backend, ...needs: C[]): BackendWith<C> {
  for (const need of needs) {
    if (!backend.capabilities[need]) {
      throw new UsageError(`the ${backend.name} backend does not support ${CAPABILITY_WORDS[need]}`, {
        hint: 'choose another backend with --backend, MYCLI_BACKEND or [mycli] backend in the config',
      });
    }
  }
  const problems = needs.flatMap((c) => missingMembers(backend, c));
  if (problems.length) {
    throw new PluginError(`the ${backend.name} backend declares capabilities without their members:\n  ${[...new Set(problems)].join('\n  ')}`, {
      hint: 'a backend that declares a capability must have its members; run `mycli backend check` against it',
    });
  }
  // The flags and the members were checked just above: what hasCapabilities() tells.
  return backend as BackendWith<C>;
}
