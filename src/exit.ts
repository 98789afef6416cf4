/**
 * Ending the real process without losing output. Node writes to a pipe synchronously only while
 * the pipe has room (64 KiB on Linux); the rest is queued, and `process.exit()` drops the queue.
 * So the process ends only once stdout and stderr have handed every byte to the OS — or once
 * their reader has gone (EPIPE: `mycli versions list | head -1`), which ends the wait at once
 * instead of hanging. Used by bin/mycli.js (through runProcess's caller) and the crash handlers.
 */

let readerGone = false;
let guarded = false;

/**
 * A reader that closes its end early (`| head -1`) makes the next write fail with EPIPE. That is
 * the reader's choice, not a failure of the command: later writes are dropped quietly (no
 * "unexpected failure" from the crash handlers) and the command ends with its own exit code.
 */
export function guardStdStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
        readerGone = true;
        return;
      }
      throw e;
    });
  }
}

/** Whether a reader of stdout or stderr has gone (for tests and diagnostics). */
export function aReaderHasGone(): boolean {
  return readerGone;
}

/** Resolves once everything queued on `stream` has been written, or the stream cannot take more. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (idle(stream)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('close', done);
    stream.once('error', done);
    // An empty write's callback runs after every write queued before it (or with the error
    // that ended them).
    stream.write('', done);
  });
}

let exiting = false;
let finalCode = 0;

const idle = (s: NodeJS.WriteStream) => s.destroyed || s.writableEnded || s.writableLength === 0;

/**
 * Exit with `code` once stdout and stderr are flushed (or their readers gone). A failure that
 * arrives while the flush is under way (a crash from a plugin's timer) still turns the exit
 * code into its own, and its line is flushed too.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  if (!exiting || (finalCode === 0 && code !== 0)) finalCode = code;
  if (!exiting) {
    exiting = true;
    do await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    while (!idle(process.stdout) || !idle(process.stderr));
    process.exit(finalCode);
  }
  // A second caller waits for the first one's exit.
  return new Promise<never>(() => undefined);
}
