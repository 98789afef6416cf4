#!/usr/bin/env python3
"""Run a command in a real pseudo-terminal and drive it like a person at a keyboard.

Usage: pty-run.py SCRIPT_JSON -- COMMAND [ARGS...]

SCRIPT_JSON is a list of steps, each {"expect": "<text>"} (wait until the terminal output
contains that text since the previous expect) or {"send": "<text>"} (type it), or
{"sleep": <seconds>}. The child gets the environment of this process, with its stdin, stdout
and stderr all on the pty's slave side.

Prints one JSON object on stdout:
  {"output": <base64 of everything the terminal showed>, "exit": <code or 128+signal>,
   "timedOut": <bool>, "failedExpect": <text or null>}
Everything is bounded: each expect waits at most EXPECT_TIMEOUT seconds, the whole run at most
TOTAL_TIMEOUT seconds; on a timeout the child is killed.
"""
import base64
import json
import os
import pty
import select
import signal
import sys
import time

EXPECT_TIMEOUT = float(os.environ.get("PTY_EXPECT_TIMEOUT", "60"))
TOTAL_TIMEOUT = float(os.environ.get("PTY_TOTAL_TIMEOUT", "90"))


def main() -> int:
    steps = json.loads(sys.argv[1])
    assert sys.argv[2] == "--"
    cmd = sys.argv[3:]

    pid, fd = pty.fork()
    if pid == 0:
        # Child: stdin/stdout/stderr are the slave side of the pty (a controlling terminal).
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)

    started = time.monotonic()
    output = bytearray()
    seen_upto = 0
    failed_expect = None
    timed_out = False

    def read_some(timeout: float) -> bool:
        """Read what is available within timeout. False on EOF."""
        r, _, _ = select.select([fd], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the slave side is closed (the child exited)
            return False
        if not chunk:
            return False
        output.extend(chunk)
        return True

    eof = False
    for step in steps:
        if "expect" in step:
            want = step["expect"].encode()
            deadline = time.monotonic() + EXPECT_TIMEOUT
            while want not in output[seen_upto:]:
                if eof or time.monotonic() > deadline:
                    failed_expect = step["expect"]
                    break
                eof = not read_some(deadline - time.monotonic())
            if failed_expect is not None:
                break
            seen_upto = output.index(want, seen_upto) + len(want)
        elif "send" in step:
            os.write(fd, step["send"].encode())
        elif "sleep" in step:
            end = time.monotonic() + step["sleep"]
            while not eof and time.monotonic() < end:
                eof = not read_some(end - time.monotonic())

    # Drain until the child exits (bounded).
    status = None
    while True:
        if not eof:
            eof = not read_some(0.05)
        wpid, st = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            status = st
            # Collect what is still buffered.
            while not eof:
                r, _, _ = select.select([fd], [], [], 0.05)
                if not r:
                    break
                eof = not read_some(0)
            break
        if time.monotonic() - started > TOTAL_TIMEOUT or failed_expect is not None:
            timed_out = failed_expect is None
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break

    if os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
    else:
        code = 128 + os.WTERMSIG(status)
    try:
        os.close(fd)
    except OSError:
        pass
    json.dump(
        {
            "output": base64.b64encode(bytes(output)).decode(),
            "exit": code,
            "timedOut": timed_out,
            "failedExpect": failed_expect,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
