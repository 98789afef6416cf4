/**
 * The local store on disk (format 2), a small log-structured object store. See docs/STORE.md.
 *
 *   .mycli/HEAD                    the head: a copy of the newest log entry (a hint, see below)
 *   .mycli/log/<generation>.json   one entry per commit, immutable: every Worker's counts and the
 *                                  ids of its latest version and live deployment, the key check
 *   .mycli/versions/<id>.json      immutable version records (metadata, vars, secret blob names)
 *   .mycli/deployments/<id>.json   immutable deployment records
 *   .mycli/secrets-store/<id>.json immutable Secrets Store records (one store's secrets: metadata
 *                                  and blob names; the head names each store's current one)
 *   .mycli/objects/<2>/<62>        encrypted secret values (Workers' and the Secrets Store's), named
 *                                  by a keyed hash of the value: written once, shared by every
 *                                  version that holds that value
 *   .mycli/modules/<sha256>.mjs    main modules
 *   .mycli/lock                    the writers' lock (lock.ts)
 *
 * A change writes only what it adds (one version record, the blobs of new values, a deployment
 * record, a log entry of a few hundred bytes), so its cost follows the change, not the history.
 * The commit point is the creation of `log/<g+1>.json` with link(), which fails if that name
 * exists: a compare-and-set on the generation. A writer reads the head (generation g) without
 * the lock, prepares and writes its immutable files, then takes the lock, reads the head again
 * and commits only if it is still g; otherwise it re-applies its change to the new head (a change
 * that does not depend on what it read) or fails with exit 5, having written nothing visible.
 * A reader reads HEAD, then follows log/<g+1>, <g+2>... while they exist, so a stale HEAD is
 * never a stale answer. Readers take no lock.
 *
 * This file is the store itself: where files go, reading the head (following the log) and the
 * records, and the commit (lock, compare-and-set on the generation, HEAD). Beside it:
 * format.ts (the shapes of the head and records, and the checks applied when reading them) and
 * tx.ts (one change being prepared: the records and blobs it adds).
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, OperationError } from '../../errors.js';
import {
  damaged,
  emptyHead,
  HASH,
  ID,
  isDeploymentRecord,
  isSecretsRecord,
  isVersionRecord,
  ownWorker,
  parseHead,
  parseJson,
  readText,
  type DeploymentRecord,
  type Head,
  type SecretsRecord,
  type VersionRecord,
} from './format.js';
import { Tx } from './tx.js';
import { writeError } from './fs-errors.js';


export interface LocalStoreOptions {
  env: Record<string, string | undefined>;
}

/** How many new files a change writes side by side (each holds an open file while it is written). */
const FILES_AT_ONCE = 16;

/** How a change commits (LocalStore.change). */
export interface ChangeOptions {
  /**
   * Whether the change may be applied again to a head that moved since it was read (default:
   * yes); when not, the command fails with exit 5.
   */
  canReapply?: (read: Head, now: Head) => boolean;
  /** Run under the lock just before the commit, every file written (an upgrade checks its work here). */
  beforeCommit?: (tx: Tx) => Promise<void>;
}

export class LocalStore {
  readonly dir: string;
  readonly headFile: string;
  /** The format-1 Worker store (state.json), upgraded by migrate.ts where the backend opens the store. */
  readonly legacyFile: string;
  /**
   * Set while migrate.ts upgrades a format-1 store: only then may a head be read with no
   * committed entry beside state.json (anyone else would see an empty store and hide its history).
   */
  upgrading = false;
  private readonly env: Record<string, string | undefined>;
  /** The newest head seen, and the read in flight (readers share one read: single-flight). */
  private head?: Head;
  private headRead?: Promise<Head>;
  private readonly records = new Map<string, VersionRecord | DeploymentRecord | SecretsRecord>();
  private paused = false;
  private readonly blobsSeen = new Set<string>();

  constructor(dir: string, options: LocalStoreOptions) {
    this.dir = dir;
    this.headFile = join(dir, 'HEAD');
    this.legacyFile = join(dir, 'state.json');
    this.env = options.env;
  }

  /** Start loading what writing needs, so that it overlaps the command's other work. */
  static prepareWrite(): void {
    void import('./durable.js').catch(() => undefined);
    void import('./lock.js').catch(() => undefined);
  }

  logPath(gen: number): string {
    return join(this.dir, 'log', `${String(gen).padStart(10, '0')}.json`);
  }
  versionPath(id: string): string {
    return join(this.dir, 'versions', `${id}.json`);
  }
  deploymentPath(id: string): string {
    return join(this.dir, 'deployments', `${id}.json`);
  }
  /** The number index: `numbers/<Worker uid>/<number>` holds the id of that version (a hint, checked on use). */
  numberPath(uid: string, n: number): string {
    return join(this.dir, 'numbers', uid, String(n));
  }
  blobPath(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2), hash.slice(2));
  }
  /** A Secrets Store record: the secrets of one store as a change left them. */
  secretsRecordPath(id: string): string {
    return join(this.dir, 'secrets-store', `${id}.json`);
  }

  /** true when a store (of any format) is on disk: then no new key may be made for it. */
  exists(): boolean {
    return existsSync(this.headFile) || existsSync(join(this.dir, 'log')) || existsSync(this.legacyFile);
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The newest head. Concurrent callers share one read; a cached head is checked against the log. */
  readHead(): Promise<Head> {
    if (this.headRead) return this.headRead;
    const run = this.loadHead().finally(() => {
      if (this.headRead === run) this.headRead = undefined;
    });
    this.headRead = run;
    return run;
  }

  private async loadHead(): Promise<Head> {
    let head = this.head;
    if (!head) {
      const text = await readText(this.headFile);
      head = text !== undefined ? this.parseHead(text, this.headFile) : await this.newestLogEntry();
      if (!head) {
        // No committed entry. Beside a format-1 state.json, that is an upgrade not yet done or
        // one interrupted before its commit (log/ created, its first entry not linked), which the
        // backend runs where it opens the store (migrate.ts). Never an empty store here: that
        // would hide the whole history.
        if (!this.upgrading && existsSync(this.legacyFile)) {
          throw new OperationError(`the local store ${this.legacyFile} is in format 1 and was not upgraded: this use of it reads without writing`, {
            hint: 'run any mycli command on it (e.g. `mycli secret list`): the upgrade is done once, where the store is opened',
          });
        }
        return emptyHead();
      }
    }
    // HEAD may lag behind the log (a writer stopped between its commit and its HEAD update).
    for (;;) {
      const next = await readText(this.logPath(head.generation + 1));
      if (next === undefined) break;
      head = this.parseHead(next, this.logPath(head.generation + 1));
    }
    this.head = head;
    return head;
  }

  /** The newest committed log entry, or undefined when none is (no log, or an empty one). */
  async newestLogEntry(): Promise<Head | undefined> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'log'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new OperationError(`cannot read the local store's log ${join(this.dir, 'log')} (${code})`, {
        hint: code === 'EACCES' ? 'check the permissions of that folder' : undefined,
      });
    }
    const gens = names.filter((n) => /^\d{10}\.json$/.test(n)).map((n) => Number(n.slice(0, 10)));
    if (gens.length === 0) return undefined;
    const gen = Math.max(...gens);
    const text = (await readText(this.logPath(gen)))!;
    return this.parseHead(text, this.logPath(gen));
  }

  private parseHead(text: string, file: string): Head {
    return parseHead(text, file, this.dir);
  }

  /** The head as it is on disk now (no cached head): for gc, under the lock. */
  readHeadFromDisk(): Promise<Head> {
    this.head = undefined;
    return this.loadHead();
  }

  /** A version record by id, or undefined when there is none. Not yet checked as committed. */
  async readVersion(id: string): Promise<VersionRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const cached = this.records.get(id);
    if (cached) return cached as VersionRecord;
    const file = this.versionPath(id);
    const text = await readText(file);
    if (text === undefined) return undefined;
    const rec = parseJson(text, file, this.dir) as VersionRecord;
    if (!isVersionRecord(rec, id)) throw damaged(`version record ${file} is incomplete`, this.dir);
    this.remember(id, rec);
    return rec;
  }

  async readDeployment(id: string): Promise<DeploymentRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const cached = this.records.get(id);
    if (cached) return cached as DeploymentRecord;
    const file = this.deploymentPath(id);
    const text = await readText(file);
    if (text === undefined) return undefined;
    const rec = parseJson(text, file, this.dir) as DeploymentRecord;
    if (!isDeploymentRecord(rec, id)) throw damaged(`deployment record ${file} is incomplete`, this.dir);
    this.remember(id, rec);
    return rec;
  }

  /** The Secrets Store record the head names for a store: its absence is damage. */
  async secretsRecord(id: string, by: string): Promise<SecretsRecord> {
    const cached = this.records.get(id);
    if (cached) return cached as SecretsRecord;
    const file = this.secretsRecordPath(id);
    const text = ID.test(id) ? await readText(file) : undefined;
    if (text === undefined) throw damaged(`${by} names the Secrets Store record ${id}, which is missing`, this.dir);
    const rec = parseJson(text, file, this.dir) as SecretsRecord;
    if (!isSecretsRecord(rec, id)) throw damaged(`Secrets Store record ${file} is incomplete`, this.dir);
    this.remember(id, rec);
    return rec;
  }

  /** A record the head names: its absence is damage, not "not found". */
  async namedVersion(id: string, by: string): Promise<VersionRecord> {
    const rec = await this.readVersion(id);
    if (!rec) throw damaged(`${by} names version ${id}, whose record is missing`, this.dir);
    return rec;
  }

  async namedDeployment(id: string, by: string): Promise<DeploymentRecord> {
    const rec = await this.readDeployment(id);
    if (!rec) throw damaged(`${by} names deployment ${id}, whose record is missing`, this.dir);
    return rec;
  }

  /** A version of Worker `name` by id, only when a commit of this head's history made it. */
  async committedVersion(head: Head, name: string, id: string): Promise<VersionRecord | undefined> {
    const w = ownWorker(head, name);
    const rec = w && (await this.readVersion(id));
    if (!w || !rec || rec.worker !== name || rec.workerUid !== w.uid || rec.gen > head.generation || rec.number > w.versions) return undefined;
    if (w.latest === id) return rec;
    const entry = await readText(this.logPath(rec.gen));
    if (entry === undefined) return undefined;
    const created = (parseJson(entry, this.logPath(rec.gen), this.dir) as Head).created;
    return Array.isArray(created) && created.includes(id) ? rec : undefined;
  }

  /**
   * Version `n` of Worker `name`, committed in `head`: through the number index (two small reads),
   * or, when the index has no entry or a wrong one (a store made before it, a writer that died
   * between writing it and its commit), by following parents from the latest version.
   */
  async versionByNumber(head: Head, name: string, n: number): Promise<VersionRecord | undefined> {
    const w = ownWorker(head, name);
    if (!w || !Number.isInteger(n) || n < 1 || n > w.versions) return undefined;
    const id = (await readText(this.numberPath(w.uid, n)).catch(() => undefined))?.trim();
    const rec = id ? await this.committedVersion(head, name, id).catch(() => undefined) : undefined;
    if (rec?.number === n) return rec;
    const chain = await this.versionChain(w.latest, w.versions - n + 1, `Worker "${name}"`);
    return chain.at(-1)?.number === n ? chain.at(-1) : undefined;
  }

  /** The committed versions of Worker `name` whose id starts with `prefix`: one listing of versions/, then only those records. */
  async versionsByPrefix(head: Head, name: string, prefix: string): Promise<VersionRecord[]> {
    const names = await readdir(join(this.dir, 'versions')).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw new OperationError(`cannot read the local store folder ${join(this.dir, 'versions')} (${e.code})`);
    });
    const out: VersionRecord[] = [];
    for (const f of names) {
      if (!f.endsWith('.json') || !f.toLowerCase().startsWith(prefix)) continue;
      const rec = await this.committedVersion(head, name, f.slice(0, -5));
      if (rec) out.push(rec);
    }
    return out.sort((a, b) => b.number - a.number);
  }

  /** Newest first, following parents from `from`: reads only the records it returns. */
  async versionChain(from: string | undefined, limit: number, by: string): Promise<VersionRecord[]> {
    const out: VersionRecord[] = [];
    let id = from;
    while (id && out.length < limit) {
      const rec = await this.namedVersion(id, by);
      out.push(rec);
      id = rec.parent;
      by = `version ${rec.number}`;
    }
    return out;
  }

  async deploymentChain(from: string | undefined, limit: number, by: string): Promise<DeploymentRecord[]> {
    const out: DeploymentRecord[] = [];
    let id = from;
    while (id && out.length < limit) {
      const rec = await this.namedDeployment(id, by);
      out.push(rec);
      id = rec.parent;
      by = `deployment ${rec.id}`;
    }
    return out;
  }

  async readBlob(hash: string): Promise<Buffer | undefined> {
    if (!HASH.test(hash)) return undefined;
    try {
      return await readFile(this.blobPath(hash));
    } catch {
      return undefined;
    }
  }

  /**
   * Every blob `rec` names is a regular file this process can open, of a sealed blob's least
   * size; otherwise damage naming the blob and the secret (exit 1), never a value. Blobs are
   * never read back by lists, so without this a missing one stays hidden until a value is needed.
   */
  async assertBlobs(rec: VersionRecord, writing = false): Promise<void> {
    const secrets = rec.bindings.filter((b) => b.type === 'secret_text').map((b) => ({ name: b.name, blob: b.blob! }));
    await this.checkBlobs(secrets, `version ${rec.number} of Worker "${rec.worker}"`, (n) => `put the value of "${n}" again${writing ? '' : ' (a new version)'}`, writing);
  }

  /** The same for the secrets of a Secrets Store record. */
  async assertStoreBlobs(rec: SecretsRecord, writing = false): Promise<void> {
    await this.checkBlobs(rec.secrets, `Secrets Store store ${rec.storeId}`, (n) => `give "${n}" a value again (\`mycli secrets-store secret update ${n}\`)`, writing);
  }

  private async checkBlobs(secrets: { name: string; blob: string }[], where: string, fix: (name: string) => string, writing: boolean): Promise<void> {
    // A blob found whole once during a change is not checked again by it (planned again under
    // the lock, it carries the same blobs; a gc never removes a blob a committed record names).
    const todo = secrets.filter((b) => !this.blobsSeen.has(b.blob));
    const problems = await Promise.all(todo.map((b) => blobProblem(this.blobPath(b.blob))));
    const i = problems.findIndex((p) => p !== undefined);
    if (i < 0) {
      for (const b of todo) this.blobsSeen.add(b.blob);
      return;
    }
    const b = todo[i];
    const path = this.blobPath(b.blob);
    throw new OperationError(`the local store is damaged: the blob ${path} of secret "${b.name}" (${where}) ${problems[i]}`, {
      hint: writing
        ? `nothing was committed; remove that path if something is there, and ${fix(b.name)}, or restore the file from a backup`
        : `restore that file from a backup, or ${fix(b.name)}; \`mycli store verify\` checks every blob`,
    });
  }

  private remember(id: string, rec: VersionRecord | DeploymentRecord | SecretsRecord): void {
    if (this.records.size >= 20_000) this.records.delete(this.records.keys().next().value!);
    this.records.set(id, rec);
  }

  // ---- changing ------------------------------------------------------------------------------

  /**
   * Apply a change: `plan` reads through the store, changes the Tx and names the files it adds
   * (ChangeOptions: whether it may be planned again on a newer head; a last check before the commit).
   */
  async change<T>(plan: (tx: Tx) => T | Promise<T>, o: ChangeOptions = {}): Promise<T> {
    const canReapply = o.canReapply ?? (() => true);
    await this.ensureDir();
    this.blobsSeen.clear(); // each change checks its blobs afresh
    const { acquireLock, lockTimeoutMs } = await import('./lock.js');
    let read = await this.readHead();
    let tx = new Tx(this, read);
    let result = await plan(tx);
    await this.flush(tx);
    this.testPause('MYCLI_TEST_PAUSE_BEFORE_COMMIT');
    const release = await acquireLock(join(this.dir, 'lock'), lockTimeoutMs(this.env));
    try {
      for (let attempt = 0; ; attempt++) {
        this.head = undefined; // under the lock, read the head from disk
        const now = await this.loadHead();
        if (now.generation !== read.generation) {
          if (!canReapply(read, now)) {
            throw new ConflictError('the local store changed while this command ran (another mycli wrote to it); nothing was written', {
              hint: 'look at the new state and run the command again',
            });
          }
          read = now;
          tx = new Tx(this, read);
          result = await plan(tx);
          await this.flush(tx);
        }
        if (!tx.dirty) return result;
        // What the commit names and this change wrote or reuses is still there (a gc under this
        // lock may have removed it while unreachable): written again if not. Then every blob the
        // new versions name (new values and those carried over) is on disk.
        await this.restoreRequired(tx);
        for (const v of tx.versions) await this.assertBlobs(v, true);
        for (const r of tx.secretsRecords) await this.assertStoreBlobs(r, true);
        if (read.generation === 0) await mkdir(join(this.dir, 'log'), { recursive: true, mode: 0o700 }).catch((e) => Promise.reject(writeFailed(this.dir, e)));
        if (o.beforeCommit) await o.beforeCommit(tx);
        const next: Head = { ...tx.head, generation: read.generation + 1, created: tx.created };
        const text = JSON.stringify(next) + '\n';
        const { writeImmutable, writeAtomic, syncDir } = await import('./durable.js');
        this.testPause('MYCLI_TEST_PAUSE_IN_COMMIT');
        let committed: boolean;
        try {
          committed = await writeImmutable(this.logPath(next.generation), text);
          if (committed) await syncDir(join(this.dir, 'log'));
        } catch (e) {
          throw writeFailed(this.dir, e);
        }
        if (committed) {
          this.head = next;
          // Two hints, side by side: the number index, and HEAD (readers follow the log past a
          // stale one, so a failure of either loses nothing).
          await Promise.all([this.writeNumbers(tx.versions), writeAtomic(this.headFile, text).catch(() => undefined)]);
          return result;
        }
        // Someone committed that generation without our lock (it was wrongly taken): never
        // overwrite; read the new head and go round again.
        // Each lost compare-and-set means another writer committed (the system moved on), and
        // going round again is cheap; give up only when it keeps happening.
        if (attempt >= 100) throw new ConflictError('the local store kept changing under this command; nothing was written', { hint: 'try again' });
      }
    } finally {
      await release();
    }
  }

  /**
   * The number index entries of the versions a change committed, written just after its commit,
   * still under the lock (so no other writer races for them). A hint: not fsync'd, replaced when
   * wrong, checked on use; a failure to write it loses nothing (readers fall back to the chain).
   */
  private async writeNumbers(versions: VersionRecord[]): Promise<void> {
    const { randomBytes } = await import('node:crypto');
    const made = new Set<string>();
    for (const v of versions) {
      const file = this.numberPath(v.workerUid, v.number);
      try {
        const dir = file.slice(0, file.lastIndexOf('/'));
        if (!made.has(dir)) await mkdir(dir, { recursive: true, mode: 0o700 });
        made.add(dir);
        const tmp = `${dir}/.${v.number}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(tmp, v.id, { mode: 0o600 });
        await rename(tmp, file).catch(async (e) => {
          await unlink(tmp).catch(() => undefined);
          throw e;
        });
      } catch {
        return;
      }
    }
  }

  /** Write the files a change adds (immutable, fsync'd), then fsync their folders. */
  private async flush(tx: Tx): Promise<void> {
    if (tx.files.length === 0) return;
    const { writeImmutable, syncDir } = await import('./durable.js');
    const dirs = [...new Set(tx.files.map((f) => f.path.slice(0, f.path.lastIndexOf('/'))))];
    // The files are independent (each complete and fsync'd before its name exists), so they are
    // written side by side, FILES_AT_ONCE at a time; the folders are fsync'd once all are there.
    const all = async (work: Promise<unknown>[]) => {
      const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    };
    try {
      await all(dirs.map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
      for (let i = 0; i < tx.files.length; i += FILES_AT_ONCE) await all(tx.files.slice(i, i + FILES_AT_ONCE).map((f) => writeImmutable(f.path, f.data)));
      await all(dirs.map((d) => syncDir(d)));
    } catch (e) {
      throw writeFailed(this.dir, e);
    }
    tx.required.push(...tx.files);
    tx.files.length = 0;
  }

  /** Under the lock: write again each file of `tx.required` that is gone (docs/STORE.md, "Garbage"). */
  private async restoreRequired(tx: Tx): Promise<void> {
    const gone: { path: string; data: string | Uint8Array }[] = [];
    for (const f of tx.required) {
      if (await lstat(f.path).then(() => false, () => true)) gone.push({ path: f.path, data: typeof f.data === 'function' ? f.data() : f.data });
    }
    if (gone.length === 0) return;
    tx.files.push(...gone);
    await this.flush(tx);
  }

  /** Test-only (documented in docs/STORE.md): stop this process (SIGSTOP) at a point of the commit. */
  private testPause(name: string): void {
    if (this.env[name] === '1' && !this.paused) {
      this.paused = true;
      process.kill(process.pid, 'SIGSTOP');
    }
  }

  async writeModule(hash: string, content: Uint8Array): Promise<string> {
    await this.ensureDir();
    const dir = join(this.dir, 'modules');
    const { writeImmutable, syncDir } = await import('./durable.js');
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeImmutable(join(dir, `${hash}.mjs`), content);
      await syncDir(dir);
    } catch (e) {
      throw writeFailed(this.dir, e);
    }
    return `${hash}.mjs`;
  }

  modulePath(name: string): string {
    return join(this.dir, 'modules', name);
  }

  async readModule(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.dir, 'modules', name));
    } catch {
      return undefined;
    }
  }

  async ensureDir(): Promise<void> {
    await ensureStateDir(this.dir);
  }
}

/** What is wrong with the blob file at `path`, or undefined when it is a regular file that opens. */
export async function blobProblem(path: string): Promise<string | undefined> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'is missing' : `cannot be read (${code})`;
  }
  if (st.isSymbolicLink()) return 'is a symbolic link, not a file';
  if (!st.isFile()) return 'is not a regular file';
  if (st.size < BLOB_OVERHEAD) return `is truncated (${st.size} bytes)`;
  try {
    await (await open(path, 'r')).close();
  } catch (e) {
    return `cannot be opened (${(e as NodeJS.ErrnoException).code})`;
  }
  return undefined;
}

/** nonce (12) + GCM tag (16): a sealed blob is at least this long. */
const BLOB_OVERHEAD = 28;

/**
 * Create the state folder (mode 0700) if need be. Only a folder mycli creates itself is its own:
 * it gets a .gitignore of "*" (never committed by accident). A folder that was there already —
 * `MYCLI_STATE_DIR=.`, a repository's root — is never given one (it would hide the repository).
 */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    const made = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (made === undefined) return;
    await writeFile(join(dir, '.gitignore'), '# mycli local store: never commit\n*\n', { flag: 'wx', mode: 0o600 }).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  } catch (e) {
    throw writeError('the local store folder', dir, e, 'nothing was written');
  }
}

function writeFailed(dir: string, e: unknown): OperationError {
  return writeError('the local store', dir, e);
}
