/**
 * What `mycli serve` needs of a backend beyond the Backend API (types.ts): Cloudflare-style
 * uploads with an explicit binding list, a version's main module, and a few narrow reads a
 * long-running server answers often. Declared here, beside the Backend API, so that a backend can
 * implement it without importing serve (the local backend does, in local/serve-extension.ts);
 * src/serve/backend-types.ts composes it with the Backend methods serve calls.
 */
import type { Deployment, Target, Version } from './types.js';

/** A binding as `applyBindings` takes it: secret values in `text`, `inherit` by name. */
export interface ApplyBinding {
  type: string;
  name: string;
  text?: string;
  [key: string]: unknown;
}

export interface ApplyBindingsInput {
  bindings: ApplyBinding[];
  /** Binding types kept from the latest version when the list does not name them. */
  keepTypes?: string[];
  /** The new main module; omitted: the latest version's. */
  mainModule?: { name: string; content: Uint8Array };
  deploy: boolean;
  checkRollout: boolean;
  /** false: an unknown Worker is not found (instead of created). */
  createWorker: boolean;
  source: string;
  message?: string;
  tag?: string;
}

export interface ApplyBindingsResult {
  version: Version;
  deployment?: Deployment;
  workerCreated?: boolean;
}

export interface ServeExtension {
  /**
   * A new version from an explicit binding list, as the Cloudflare API takes it (versions upload,
   * script upload, settings PATCH). `inherit` copies a binding of the latest version by name;
   * `keepTypes` keeps every binding of those types from the latest version that the list does not
   * name. With `deploy`, the version is deployed at 100%; with `checkRollout` too, the change is
   * refused (a GradualRolloutError) while the latest version is not the one fully deployed.
   */
  applyBindings(target: Target, input: ApplyBindingsInput): Promise<ApplyBindingsResult>;
  /** The stored main module of a version, or undefined when it has none. */
  getModule(target: Target, versionId: string): Promise<{ name: string; content: Buffer } | undefined>;
  /** The Worker, or undefined when there is none of that name. */
  worker(target: Target): Promise<{ createdOn: string } | undefined>;
  /** Every Worker of the target's folder, with its latest version. */
  workerNames(target: Target): Promise<{ name: string; createdOn: string; latest?: Version }[]>;
  /** The live deployment of a Worker, read alone. */
  liveDeployment(target: Target): Promise<Deployment | undefined>;
  /** How many versions the Worker has (the number of its latest), or undefined without the Worker. */
  versionCount(target: Target): Promise<number | undefined>;
  /** The number of a version of the Worker, or undefined when it has none of that id. */
  versionNumber(target: Target, id: string): Promise<number | undefined>;
  /** Whether an error of the Secrets Store is a conflict of its own (a name taken, a store not empty), not a busy store. */
  isSecretsStoreConflict(e: unknown): e is Error;
}
