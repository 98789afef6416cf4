/**
 * Which modules a child process loaded: Node flags that record every file module (a module
 * hook), and a reader that says whether any of them contains a marker string. Markers are
 * strings that survive the minifier: class names, error texts, diagnostics channel names.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export interface LoadRecorder {
  nodeArgs: string[];
  loaded(marker: string): boolean;
  /** The files of mycli's build the child loaded, relative to dist/ (`main.js`, `chunks/…`). */
  distFiles(): string[];
  cleanup(): void;
}

export function loadRecorder(): LoadRecorder {
  const log = join(mkdtempSync(join(tmpdir(), 'mycli-loaded-')), 'loaded.txt');
  writeFileSync(log, '');
  const hooks =
    `import { appendFileSync } from 'node:fs';` +
    `export async function load(url, context, next) { if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
  const preload = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return {
    nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(preload)}`],
    loaded: (marker) => {
      const files = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(files.some((f) => f.endsWith('/bin/mycli.js')), 'the module hook recorded the loads').toBe(true);
      return files.some((f) => readFileSync(fileURLToPath(f), 'utf8').includes(marker));
    },
    distFiles: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((f) => f.includes('/dist/'))
        .map((f) => f.slice(f.lastIndexOf('/dist/') + '/dist/'.length)),
    cleanup: () => rmSync(dirname(log), { recursive: true, force: true }),
  };
}

/** Markers of the heavy or optional parts that must load only when needed. */
export const MARKERS = {
  undici: 'undici:request:create',
  zod: 'ZodError',
  inquirer: 'ExitPromptError',
  plugin: 'does not implement the Backend interface',
  serve: 'Could not route to',
  cloudflare: 'mycli never creates a Worker',
  // `mycli complete`: its engine (a value kind of its tables, named by no chunk) and its scripts.
  completion: 'deploy-spec',
  completionScripts: 'Register-ArgumentCompleter',
} as const;

/**
 * Node built-ins that a command on the local backend never uses: subprocesses (commander loads
 * child_process for executable subcommands, which mycli does not have), datagrams, HTTP, prompts,
 * compression, threads. Each one loaded costs start-up time. (`net` is not listed: Node loads it
 * for a process.stdout that is a pipe.)
 */
export const UNUSED_LOCALLY = ['child_process', 'dgram', 'http', 'https', 'tls', 'readline', 'zlib', 'worker_threads'] as const;

export interface BuiltinRecorder {
  nodeArgs: string[];
  /** The Node built-in modules the child had loaded when it exited (`fs`, `child_process`, `internal/...`). */
  builtins(): string[];
  cleanup(): void;
}

/**
 * Records `process.moduleLoadList` at the child's exit. On its own, not with loadRecorder(): a
 * module hook runs on a worker thread, which itself loads worker_threads and net.
 */
export function builtinRecorder(): BuiltinRecorder {
  const log = join(mkdtempSync(join(tmpdir(), 'mycli-builtins-')), 'builtins.txt');
  const preload =
    `import { writeFileSync } from 'node:fs';` +
    `process.on('exit', () => writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)).join('\\n')));`;
  return {
    nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(preload)}`],
    builtins: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    cleanup: () => rmSync(dirname(log), { recursive: true, force: true }),
  };
}
