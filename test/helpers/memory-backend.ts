/**
 * A Backend that keeps secrets in memory (secrets only: no versions), for command tests that
 * inject it into main() (`MainDeps.backend`) instead of running on the on-disk local store.
 */
import { NotFoundError } from '../../src/errors.js';
import type { Backend, SecretChange, SecretPatch, Target } from '../../src/backends/types.js';

export interface MemoryBackend extends Backend {
  /** The stored secrets of a Worker (and environment): name -> value. */
  secretsOf(target: Pick<Target, 'worker' | 'env'>): Record<string, string>;
  /** The targets the commands asked about, in order. */
  readonly targets: Target[];
}

export function memoryBackend(): MemoryBackend {
  const workers = new Map<string, Map<string, string>>();
  const keyOf = (t: Pick<Target, 'worker' | 'env'>) => `${t.worker}\u0000${t.env ?? ''}`;
  const secrets = (t: Pick<Target, 'worker' | 'env'>) => {
    if (!workers.has(keyOf(t))) workers.set(keyOf(t), new Map());
    return workers.get(keyOf(t))!;
  };
  const targets: Target[] = [];
  return {
    name: 'memory',
    capabilities: { secrets: true, versions: false, gradualDeployments: false, rollback: false, versionedSecrets: false },
    targets,
    describe: () => 'in memory',
    secretsOf: (t) => Object.fromEntries(secrets(t)),
    async listSecrets(t) {
      targets.push(t);
      return [...secrets(t).keys()].sort().map((name) => ({ name, type: 'secret_text' as const }));
    },
    async updateSecrets(t, patch: SecretPatch) {
      targets.push(t);
      const current = secrets(t);
      // All of the patch or nothing: check first.
      for (const [name, value] of Object.entries(patch)) {
        if (value === null && !current.has(name)) throw new NotFoundError(`secret "${name}" does not exist on Worker "${t.worker}"`);
      }
      const changes: SecretChange[] = [];
      for (const [name, value] of Object.entries(patch)) {
        if (value === null) {
          current.delete(name);
          changes.push({ name, action: 'deleted' });
        } else {
          changes.push({ name, action: current.has(name) ? 'updated' : 'added' });
          current.set(name, value);
        }
      }
      return { changes };
    },
  };
}
