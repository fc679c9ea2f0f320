"""Runs one sandboxed child process to completion, timeout or cancellation, and cleans up.

The child gets its own session (so its whole process group can be killed), the given limits and
a capped output buffer. It must never outlive the call: timeout, cancellation and errors all end
in SIGKILL to the group (and to the pids cgroup, when there is one).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from microagent.sandbox.deadline import within
from microagent.sandbox.limits import MemoryCgroup, PidsCgroup, ResourceLimits
from microagent.sandbox.output import DEFAULT_OUTPUT_LIMIT, CappedOutput
from microagent.sandbox.types import SandboxError

READ_CHUNK = 65536
DRAIN_SECONDS = 2.0  # after the child is dead, how long to wait for the pipe to close


@dataclass
class ChildResult:
    exit_code: int | None  # negative: killed by that signal, as in subprocess
    output: str
    truncated: bool
    timed_out: bool
    killed_by_us: bool
    duration: float
    oom_killed: bool = False  # the memory cgroup's limit was hit


async def _pump(read_fd: int, sink: CappedOutput) -> None:
    """Read the child's pipe until every writer has closed it, keeping only the capped output."""
    loop = asyncio.get_running_loop()
    stream = asyncio.StreamReader(limit=READ_CHUNK)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(stream), os.fdopen(read_fd, "rb", buffering=0)
    )
    try:
        while chunk := await stream.read(READ_CHUNK):
            sink.feed(chunk)
    finally:
        transport.close()


def _kill_group(pgid: int, cgroup: PidsCgroup | None) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if cgroup is not None:
        cgroup.kill_all()


async def run_child(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    limits: ResourceLimits,
    use_cgroup: bool = True,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    stdin: bytes = b"",
) -> ChildResult:
    """Run `argv` in `cwd` with exactly `env` and `stdin` (a few bytes, then end of file);
    never raises for what the child does.

    Raises SandboxError only if the command cannot be started at all.
    """
    sink = CappedOutput(output_limit)
    started = time.monotonic()
    proc: asyncio.subprocess.Process | None = None
    reader: asyncio.Task[None] | None = None
    timed_out = finished = False
    # Our own pipe, not asyncio's: Process.wait() would otherwise also wait for every
    # grandchild that inherited stdout, and a leftover background process would look like a hang.
    read_fd, write_fd = os.pipe()
    stdin_fd, feed_fd = os.pipe()
    os.write(feed_fd, stdin)  # far below a pipe's buffer: a secret line, not data
    os.close(feed_fd)
    cgroup = PidsCgroup.create(limits.processes) if use_cgroup else None
    memory = MemoryCgroup.create(limits.memory) if use_cgroup else None
    oom_kills = 0
    try:
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=cwd,
                env=dict(env),
                stdin=stdin_fd,
                stdout=write_fd,
                stderr=write_fd,
                start_new_session=True,
                preexec_fn=limits.preexec(timeout, cgroup, memory),
            )
        except (OSError, subprocess.SubprocessError) as exc:
            os.close(read_fd)
            raise SandboxError(f"could not start {argv[0]!r} in the sandbox: {exc}") from exc
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
            os.close(stdin_fd)
        reader = asyncio.create_task(_pump(read_fd, sink))
        try:
            await within(timeout, proc.wait())
        except TimeoutError:
            timed_out = True
        # Kill whatever the child left behind, even after a normal exit, before draining.
        _kill_group(proc.pid, cgroup)
        await proc.wait()
        try:
            await within(DRAIN_SECONDS, asyncio.shield(reader))
        except TimeoutError:
            pass  # a grandchild in another group still holds the pipe; keep what we have
        finished = True
    finally:
        if proc is not None and not finished:
            _kill_group(proc.pid, cgroup)  # cancelled, or failed mid-way
        if reader is not None:
            reader.cancel()
        if cgroup is not None:
            cgroup.remove()
        if memory is not None:
            oom_kills = memory.oom_kills()
            memory.remove()
    output, truncated = sink.text()
    return ChildResult(
        exit_code=proc.returncode,
        output=output,
        truncated=truncated,
        timed_out=timed_out,
        killed_by_us=timed_out,
        duration=time.monotonic() - started,
        oom_killed=oom_kills > 0,
    )
