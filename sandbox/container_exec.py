"""Runs one command in a sandbox container with a single exec: reset the work copy, run, collect.

Output is read as it arrives and never held beyond the cap; past the deadline, or when asked
to stop, the container is killed rather than waited for. Files come back on a private channel
(the exec's stderr, closed to the command), because the engine cannot read a tmpfs.
"""

from __future__ import annotations

import io
import posixpath
import shlex
import socket
import struct
import tarfile
import threading
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import docker
import docker.errors
from docker.models.containers import Container

from microagent.sandbox.container import BASEDIR, PRIVATE_SHELL, RUNNER_USER, WORKDIR
from microagent.sandbox.junit import MAX_REPORT_BYTES
from microagent.sandbox.output import CappedOutput

POLL_SECONDS = 0.1
STDOUT, STDERR = 1, 2
STATUS_MARK = b"microagent-exit "
RESET_FAILED = b"microagent-reset-failed\n"
CHANNEL_LIMIT = 2 * MAX_REPORT_BYTES
SIGKILL_EXIT = 128 + 9

# Runs as the runner, forking as little as it can: a fork bomb may have used every pid.
# `kill -9 -1` ends every process of the runner but pid 1 and this shell, so nothing from an
# earlier run (or this one) lives on; the loop repeats it until only pid 1, its idle sleep and
# this shell are left. The command does not hold fd 3, where files and the status go; the
# shell does, but it is non-dumpable (PRIVATE_SHELL), so the runner cannot reach it through
# /proc. Belt and braces: the status line starts with the run's secret (stdin's first line,
# never in an argument or the environment), and anything before it marks the run tampered.
_SCRIPT = r"""
exec 3>&2 2>/dev/null
IFS= read -r secret
read_oom() {{
  oom=x
  for f in /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events; do
    [ -r "$f" ] || continue
    while read -r key value; do [ "$key" = oom_kill ] && oom=$value; done < "$f"
    return
  done
}}
stop_all() {{
  n=0
  while kill -9 -1 && [ $n -lt 2000 ]; do
    set -- /proc/[0-9]*; [ $# -le 3 ] && return; n=$((n + 1))
  done
}}
reset() {{
  chmod -R u+rwX {work} /tmp /dev/shm
  rm -rf {scratch}
  for left in {scratch}; do
    [ -e "$left" ] || [ -L "$left" ] && return 1
  done
  cp -R {base}/. {work}/ || return 1
  cd {work} || return 1
  {remove}
  {extract}
  return 0
}}
stop_all
if ! reset; then printf 'microagent-reset-failed\n' >&3; exit 125; fi
read_oom; before=$oom
cd {work}
{run}
status=$?
stop_all
read_oom
printf 'microagent-exit %s %s %s %s\n' "$secret" "$status" "$before" "$oom" >&3
{collect}
exit $status
"""


def run_script(
    collect: Sequence[str] = (), remove: Sequence[str] = (), extract: bool = False,
    share_secret: bool = False,
) -> str:
    """The shell script for one run.

    `remove` (workspace paths) and a tar on stdin (`extract`) turn the copy of /base into the
    run's snapshot; `collect` (absolute paths) come back as a tar on fd 3. With
    `share_secret` the command's stdin is the secret's line (a test runner's witness reads it).
    """
    quoted = " ".join(shlex.quote(p) for p in remove)
    parents = " ".join(sorted({shlex.quote(posixpath.dirname(p)) for p in remove} - {"''"}))
    removal = f"rm -f -- {quoted} || return 1" if remove else ""
    if parents:
        removal += f"\n  rmdir -p --ignore-fail-on-non-empty -- {parents}"
    names = " ".join(shlex.quote(p.lstrip("/")) for p in collect)
    return _SCRIPT.format(
        work=WORKDIR,
        base=BASEDIR,
        scratch=" ".join(f"{d}/..?* {d}/.[!.]* {d}/*" for d in (WORKDIR, "/tmp", "/dev/shm")),
        remove=removal,
        extract="tar -xf - || return 1" if extract else "",
        collect=f"tar -C / -cf - -- {names} >&3" if collect else "",
        run=('printf \'%s\\n\' "$secret" | "$@" 2>&1 3>&-' if share_secret
             else '"$@" < /dev/null 2>&1 3>&-'),
    )


@dataclass
class ExecResult:
    exit_code: int | None
    output: str = ""
    truncated: bool = False
    timed_out: bool = False
    stopped: bool = False  # asked to stop (cancelled); the container was killed
    oom_killed: bool = False
    reset_failed: bool = False
    channel_tampered: bool = False  # something wrote to the private channel before the script
    duration: float = 0.0
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def container_healthy(self) -> bool:
        """Whether the container can serve another run."""
        return not (self.timed_out or self.stopped or self.oom_killed or self.reset_failed) and (
            self.exit_code is not None
        )


class _Stopped(Exception):
    pass


class _FrameReader:
    """Reads the engine's multiplexed stream (8-byte header: stream, 0, 0, 0, size)."""

    def __init__(self, sock, must_stop):  # type: ignore[no-untyped-def]
        self.sock = getattr(sock, "_sock", sock)
        self.must_stop = must_stop
        self.buffer = bytearray()
        try:
            self.sock.settimeout(POLL_SECONDS)
        except (AttributeError, OSError):
            pass

    def _fill(self, size: int) -> bool:
        while len(self.buffer) < size:
            if self.must_stop():
                raise _Stopped
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return False
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def frames(self):  # type: ignore[no-untyped-def]
        while self._fill(8):
            kind, size = struct.unpack(">BxxxL", self.buffer[:8])
            del self.buffer[:8]
            while size:  # hand out large frames in pieces: never hold a whole one
                if not self._fill(1):
                    return
                piece = bytes(self.buffer[:size])
                del self.buffer[: len(piece)]
                size -= len(piece)
                yield kind, piece


def exec_in_container(
    client: docker.DockerClient,
    container: Container,
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    collect: Sequence[str] = (),
    timeout: float = 60.0,
    stop: threading.Event | None = None,
    output_limit: int = 1_048_576,
    delta: bytes = b"",
    remove: Sequence[str] = (),
    secret: str = "",
    share_secret: bool = False,
) -> ExecResult:
    """Reset /work from /base, apply `remove` and the `delta` tar, run `argv` there, and return
    its capped output and the `collect`ed files. `secret` (hex) authenticates the status line;
    with `share_secret` it is also the command's stdin."""
    stop = stop or threading.Event()
    script = run_script(collect, remove, extract=bool(delta), share_secret=share_secret)
    exec_id = client.api.exec_create(
        container.id,
        [PRIVATE_SHELL, "-c", script, "sh", *argv],
        stdin=True,
        stdout=True,
        stderr=True,
        user=RUNNER_USER,
        environment=dict(env),
        workdir=WORKDIR,
    )["Id"]
    started = time.monotonic()
    deadline = started + timeout
    timed_out = False

    def must_stop() -> bool:
        nonlocal timed_out
        timed_out = time.monotonic() > deadline
        return timed_out or stop.is_set()

    output, channel = CappedOutput(output_limit), bytearray()
    sock = client.api.exec_start(exec_id, socket=True)
    try:
        _send(sock, f"{secret}\n".encode() + delta, timeout)
        for kind, data in _FrameReader(sock, must_stop).frames():
            if kind == STDOUT:
                output.feed(data)
            elif len(channel) + len(data) <= CHANNEL_LIMIT:
                channel += data
    except _Stopped:
        try:
            container.kill()  # the only way to stop an exec; the caller discards the container
        except docker.errors.APIError:
            pass  # already dead
        text, truncated = output.text()
        return ExecResult(
            exit_code=None, output=text, truncated=truncated, timed_out=timed_out,
            stopped=not timed_out, duration=time.monotonic() - started,
        )  # fmt: skip
    finally:
        sock.close()
    duration = time.monotonic() - started
    exit_code = client.api.exec_inspect(exec_id).get("ExitCode")
    text, truncated = output.text()
    result = ExecResult(exit_code=exit_code, output=text, truncated=truncated, duration=duration)
    _read_channel(bytes(channel), result, secret)
    return result


def _send(sock, data: bytes, timeout: float) -> None:  # type: ignore[no-untyped-def]
    """Write the delta to the exec's stdin and close that direction, so tar sees its end."""
    raw = getattr(sock, "_sock", sock)
    raw.settimeout(timeout)
    raw.sendall(data)
    raw.shutdown(socket.SHUT_WR)


def _read_channel(channel: bytes, result: ExecResult, secret: str) -> None:
    if channel.startswith(RESET_FAILED):
        result.reset_failed = True
        return
    mark = STATUS_MARK + secret.encode() + b" "
    start = channel.find(mark)
    result.channel_tampered = start > 0
    if start < 0:  # the script itself died: only the kernel kills so
        result.oom_killed = result.exit_code == SIGKILL_EXIT
        return
    line, _, archive = channel[start:].partition(b"\n")
    fields = line[len(mark) :].split()
    if len(fields) == 3:
        _, before, after = fields
        if before.isdigit() and after.isdigit():
            result.oom_killed = int(after) > int(before)
        else:  # no OOM counter in this cgroup layout: a SIGKILL nobody sent is the OOM killer
            result.oom_killed = result.exit_code == SIGKILL_EXIT
    result.files = _untar(archive)


def _untar(archive: bytes) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not archive:
        return files
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for member in tar:
                if member.isfile() and member.size <= MAX_REPORT_BYTES:
                    handle = tar.extractfile(member)
                    if handle is not None:
                        files["/" + member.name.lstrip("/")] = handle.read()
    except (tarfile.TarError, EOFError):
        pass  # a missing file truncates the archive; keep what arrived
    return files
