/**
 * The local store on disk: `.mycli/state.json` (mode 0600), main modules in `.mycli/modules/`.
 *
 * Every change runs under an inter-process lock (proper-lockfile: a lock directory with stale
 * detection, so a process killed while holding it does not block others for long) and is
 * written atomically (durable.ts: temp file, fsync, rename, fsync of the folder), so a crash
 * leaves either the old or the new state. Reads take no lock: a rename is atomic, so a reader sees one or the other.
 * A state file that does not parse is reported with its path and never overwritten.
 */
import * as fs from 'node:fs';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, OperationError } from '../../errors.js';
import type { Sealed } from './crypto.js';

export const STATE_FORMAT = 1;

/** Plain fs for proper-lockfile (an extensible copy: it caches a probe result on the object). */
const lockFs = { ...fs };

export interface StoredBinding {
  type: string;
  name: string;
  text?: string;
  json?: unknown;
  /** secret_text only: the sealed value. */
  sealed?: Sealed;
  [key: string]: unknown;
}

export interface StoredVersion {
  id: string;
  number: number;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  tag?: string;
  scriptHash?: string;
  mainModule?: string;
  bindings: StoredBinding[];
}

export interface StoredDeployment {
  id: string;
  createdOn: string;
  author?: string;
  source?: string;
  message?: string;
  versions: { versionId: string; percentage: number }[];
}

export interface StoredWorker {
  createdOn: string;
  /** Oldest first. */
  versions: StoredVersion[];
  /** Oldest first; the last one is live. */
  deployments: StoredDeployment[];
}

export interface State {
  format: number;
  keyCheck?: Sealed;
  workers: Record<string, StoredWorker>;
}

export class LocalStore {
  readonly dir: string;
  readonly file: string;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, 'state.json');
  }

  /**
   * Start loading the lock and atomic-write libraries now, so that a command that is about to
   * change the store overlaps their loading with its other work (reading stdin, the config).
   */
  static prepareWrite(): void {
    void import('./durable.js').catch(() => undefined);
  }

  /** The current state, or an empty one when the store does not exist yet. */
  async read(): Promise<State> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { format: STATE_FORMAT, workers: {} };
      throw new OperationError(`cannot read the local store ${this.file} (${code})`, {
        hint: code === 'EACCES' ? 'check the permissions of that file' : undefined,
      });
    }
    return this.parse(text);
  }

  private parse(text: string): State {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw damaged(this.file, (e as Error).message);
    }
    const state = data as State;
    if (!state || typeof state !== 'object' || typeof state.workers !== 'object' || state.workers === null) {
      throw damaged(this.file, 'it does not hold a mycli store');
    }
    if (state.format !== STATE_FORMAT) {
      throw new OperationError(`the local store ${this.file} has format ${String(state.format)}, which this mycli does not know`, {
        hint: 'upgrade mycli; the file was left untouched',
      });
    }
    for (const [name, w] of Object.entries(state.workers)) {
      if (!w || !Array.isArray(w.versions) || !Array.isArray(w.deployments)) {
        throw damaged(this.file, `the entry of Worker "${name}" is incomplete`);
      }
    }
    return state;
  }

  /**
   * Read, change and write the state as one step under the lock. `change` may throw to abort:
   * then nothing is written.
   */
  async update<T>(change: (state: State) => T | Promise<T>): Promise<T> {
    await this.ensureDir();
    const { lock } = await import('./durable.js');
    let release: () => Promise<void>;
    try {
      release = await lock(this.dir, {
        lockfilePath: join(this.dir, 'state.lock'),
        fs: lockFs,
        realpath: false,
        // A holder refreshes the lock every second; one that was killed is taken over after 4 s.
        stale: 4_000,
        update: 1_000,
        retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 60, randomize: true },
        onCompromised: () => {
          /* The lock went stale under us (a stopped process): the write below still is atomic. */
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new ConflictError(`the local store ${this.dir} is busy: another mycli process holds its lock`, {
          hint: `try again; if no mycli is running, remove ${join(this.dir, 'state.lock')}`,
        });
      }
      throw new OperationError(`cannot lock the local store ${this.dir} (${(e as Error).message})`);
    }
    try {
      await this.removeLeftovers();
      const state = await this.read();
      const result = await change(state);
      await this.write(state);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  /**
   * Temp files left by a writer that was killed before its rename. We hold the lock, so no
   * write is in progress: every temp file here is garbage.
   */
  private async removeLeftovers(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith('.state.json.') && n.endsWith('.tmp')).map((n) => unlink(join(this.dir, n)).catch(() => undefined)));
  }

  async writeModule(hash: string, content: Uint8Array): Promise<string> {
    await this.ensureDir();
    const dir = join(this.dir, 'modules');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${hash}.mjs`);
    const { writeAtomic } = await import('./durable.js');
    await writeAtomic(file, content);
    return `${hash}.mjs`;
  }

  async readModule(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.dir, 'modules', name));
    } catch {
      return undefined;
    }
  }

  private async write(state: State): Promise<void> {
    const { writeAtomic } = await import('./durable.js');
    try {
      await writeAtomic(this.file, JSON.stringify(state) + '\n');
    } catch (e) {
      throw new OperationError(`cannot write the local store ${this.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        hint: 'the previous state is intact; check free disk space and permissions',
      });
    }
  }

  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // Never committed by accident.
      await writeFile(join(this.dir, '.gitignore'), '# mycli local store: never commit\n*\n', { flag: 'wx', mode: 0o600 }).catch((e) => {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      });
    } catch (e) {
      throw new OperationError(`cannot create the local store folder ${this.dir} (${(e as NodeJS.ErrnoException).code})`, {
        hint: 'check permissions, or set MYCLI_STATE_DIR to a writable folder',
      });
    }
  }
}

function damaged(file: string, why: string): OperationError {
  return new OperationError(`the local store ${file} is damaged and cannot be read (${why})`, {
    hint: 'it was left untouched; restore it from a backup, or move it aside to start an empty store',
  });
}
