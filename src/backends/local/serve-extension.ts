/**
 * The local backend with the extension `mycli serve` needs (../serve-extension.ts): uploads with
 * explicit bindings, modules, and narrow reads of the head. Only serve uses it; the CLI's
 * commands use LocalBackend alone.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../../errors.js';
import type { ApplyBindingsInput, ApplyBindingsResult, ServeExtension } from '../serve-extension.js';
import type { Deployment, SecretPatch, Target, Version } from '../types.js';
import { assertBindingName } from '../names.js';
import { assertBindingCount, assertSecretValues } from '../limits.js';
import { LocalBackend, type LocalBackendOptions } from './backend.js';
import { assertLatestFullyDeployed, newDeployment, publicDeployment, publicVersion, workerNotFound } from './records.js';
import { SecretsStoreConflict } from './secrets-store.js';
import { ownWorker, type DeploymentRecord, type StoredBinding } from './format.js';

export class LocalServeBackend extends LocalBackend implements ServeExtension {
  constructor(options: LocalBackendOptions) {
    super(options);
  }

  /**
   * A new version from an explicit binding list, as the Cloudflare API takes it (versions upload,
   * script upload, settings PATCH). `inherit` copies a binding of the latest version by name;
   * `keepTypes` keeps every binding of those types from the latest version that the list does not
   * name. With `deploy`, the version is deployed at 100%; with `checkRollout` too, the change is
   * refused (10215) while the latest version is not the one fully deployed.
   */
  async applyBindings(target: Target, input: ApplyBindingsInput): Promise<ApplyBindingsResult> {
    const store = await this.writable(target);
    this.requireKey(store.dir); // before the module is written: a store without its key is refused first
    const seen = new Set<string>();
    const values: SecretPatch = {};
    for (const b of input.bindings) {
      assertBindingName(b.name);
      if (seen.has(b.name)) throw new UsageError(`binding "${b.name}" is given twice`);
      seen.add(b.name);
      if (b.type === 'secret_text' && b.text !== undefined && typeof b.text !== 'string') {
        throw new UsageError(`the value of secret "${b.name}" must be a string`);
      }
      if (b.type === 'secret_text' && typeof b.text === 'string') values[b.name] = b.text;
    }
    assertSecretValues(this, values);
    let scriptHash: string | undefined;
    let mainModule: string | undefined;
    if (input.mainModule) {
      scriptHash = createHash('sha256').update(input.mainModule.content).digest('hex');
      mainModule = await store.writeModule(scriptHash, input.mainModule.content);
    }
    return this.startChange(target, async ({ tx, key }) => {
      if (mainModule) tx.require(store.modulePath(mainModule), input.mainModule!.content);
      if (!tx.worker(target.worker) && !input.createWorker) throw workerNotFound(target);
      const { worker, created, latest } = await this.changeBase(tx, store, target);
      // The 10215 rule ("latest version fully deployed", src/domain/deployments.ts rolloutBlock).
      if (input.checkRollout && latest) await assertLatestFullyDeployed(store, target, worker, latest);
      const previous = new Map<string, StoredBinding>();
      for (const b of latest?.bindings ?? []) previous.set(b.name, b);
      const bindings: StoredBinding[] = [];
      for (const b of input.bindings) {
        if (b.type === 'inherit') {
          const from = previous.get(b.name);
          if (!from) {
            throw new UsageError(`binding "${b.name}" cannot be inherited: the latest version of Worker "${target.worker}" has no such binding`);
          }
          bindings.push(from);
        } else if (b.type === 'secret_text') {
          if (b.text === undefined) {
            const from = previous.get(b.name);
            if (!from || from.type !== 'secret_text') {
              throw new UsageError(`secret "${b.name}" has no value and the latest version has no such secret to inherit`);
            }
            bindings.push(from);
          } else {
            bindings.push(this.secretBinding(tx, target.worker, b.name, b.text, key));
          }
        } else {
          const { blob: _b, text, ...rest } = b as StoredBinding;
          bindings.push((text !== undefined ? { ...rest, text } : { ...rest }) as StoredBinding);
        }
      }
      for (const b of latest?.bindings ?? []) {
        if (!seen.has(b.name) && (input.keepTypes ?? []).includes(b.type)) bindings.push(b);
      }
      assertBindingCount(this, target.worker, bindings.length);
      const version = this.newVersion(tx, target, latest, bindings, {
        source: input.source,
        message: input.message,
        tag: input.tag,
        scriptHash,
        mainModule,
      });
      let deployment: DeploymentRecord | undefined;
      if (input.deploy) {
        deployment = tx.addDeployment(target.worker, newDeployment([{ versionId: version.id, percentage: 100 }], input.source, input.message, this.author()));
      }
      return {
        version: publicVersion(version),
        deployment: deployment && publicDeployment(deployment),
        workerCreated: created || undefined,
      };
    });
  }

  /** The stored main module of a version. */
  async getModule(target: Target, versionId: string): Promise<{ name: string; content: Buffer } | undefined> {
    const { store, head } = await this.readWorker(target);
    const v = await store.committedVersion(head, target.worker, versionId);
    if (!v?.mainModule) return undefined;
    const content = await store.readModule(v.mainModule);
    return content ? { name: v.mainModule, content } : undefined;
  }

  async worker(target: Target): Promise<{ createdOn: string } | undefined> {
    const w = ownWorker(await (await this.open(target)).readHead(), target.worker);
    return w && { createdOn: w.createdOn };
  }

  async workerNames(target: Target): Promise<{ name: string; createdOn: string; latest?: Version }[]> {
    const store = await this.open(target);
    const head = await store.readHead();
    return Promise.all(
      Object.entries(head.workers).map(async ([name, w]) => ({
        name,
        createdOn: w.createdOn,
        latest: w.latest ? publicVersion(await store.namedVersion(w.latest, `Worker "${name}"`)) : undefined,
      })),
    );
  }

  async liveDeployment(target: Target): Promise<Deployment | undefined> {
    const store = await this.open(target);
    const w = ownWorker(await store.readHead(), target.worker);
    return w?.live ? publicDeployment(await store.namedDeployment(w.live, `Worker "${target.worker}"`)) : undefined;
  }

  async versionCount(target: Target): Promise<number | undefined> {
    return ownWorker(await (await this.open(target)).readHead(), target.worker)?.versions;
  }

  async versionNumber(target: Target, id: string): Promise<number | undefined> {
    const store = await this.open(target);
    return (await store.committedVersion(await store.readHead(), target.worker, id))?.number;
  }

  isSecretsStoreConflict(e: unknown): e is Error {
    return e instanceof SecretsStoreConflict;
  }
}
