"""Resource limits for a sandboxed child: rlimits set just before exec, a pids cgroup and a
memory cgroup.

RLIMIT_NPROC counts processes per user and does not bind root, so when the host lets us we also
put the child in its own pids cgroup, which caps forks and lets us kill every descendant, even
one that left the process group. RLIMIT_AS binds each process alone (four children of 1.5 GiB
took 6 GiB), so the child and its descendants also share one memory cgroup where the host
allows it; `memory_cgroup_available` says whether it does. Never touches a cgroup it did not
create.
"""

from __future__ import annotations

import os
import resource
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True)
class ResourceLimits:
    """Limits on one sandboxed run. RLIMIT_NPROC binds only when the host user is not root."""

    address_space: int = 2 * GIB
    processes: int = 256
    file_size: int = 64 * MIB
    open_files: int = 256
    cpu_grace: int = 5  # CPU seconds allowed beyond the wall-clock timeout
    # bubblewrap only: its tmpfs sizes, as the Docker backend's (ContainerLimits).
    work_size: int = 256 * MIB
    tmp_size: int = 64 * MIB
    memory: int = 512 * MIB  # the whole run, in a memory cgroup where the host allows one

    def preexec(self, timeout: float, cgroup: "PidsCgroup | None" = None,
                memory: "MemoryCgroup | None" = None) -> Callable[[], None]:
        """A function for `preexec_fn`: join the cgroups, then lower the limits (child side)."""
        cpu = int(timeout) + self.cpu_grace
        limits = [
            (resource.RLIMIT_AS, self.address_space),
            (resource.RLIMIT_NPROC, self.processes),
            (resource.RLIMIT_FSIZE, self.file_size),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_CPU, cpu),
            (resource.RLIMIT_CORE, 0),
        ]
        joined = [str(c.procs_file) for c in (cgroup, memory) if c is not None]

        def apply() -> None:
            for procs in joined:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
            for kind, value in limits:
                _, hard = resource.getrlimit(kind)
                if hard != resource.RLIM_INFINITY:
                    value = min(value, hard)
                resource.setrlimit(kind, (value, value))

        return apply


def _cgroup_dirs(controller: str) -> list[tuple[Path, bool]]:
    """Where a cgroup of ours for `controller` (pids, memory) could live: this process's v1
    cgroup of that controller, or its v2 cgroup when that delegates the controller (True)."""
    found: list[tuple[Path, bool]] = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            found.append((Path("/sys/fs/cgroup") / controller / path.lstrip("/"), False))
        elif controllers == "":
            v2 = Path("/sys/fs/cgroup") / path.lstrip("/")
            try:
                if controller in (v2 / "cgroup.subtree_control").read_text().split():
                    found.append((v2, True))
            except OSError:
                pass
    return found


class PidsCgroup:
    """A pids cgroup made for one run; `create` returns None where the host does not allow it."""

    def __init__(self, path: Path):
        self.path = path
        self.procs_file = path / "cgroup.procs"

    @classmethod
    def create(cls, max_pids: int) -> "PidsCgroup | None":
        for parent, _ in _cgroup_dirs("pids"):
            path = _new_cgroup(parent, lambda made: (made / "pids.max").write_text(str(max_pids)))
            if path is not None:
                return cls(path)
        return None

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in self.procs_file.read_text().split()]
        except (OSError, ValueError):
            return []

    def kill_all(self, deadline: float = 2.0) -> bool:
        """SIGKILL every process in the cgroup until it is empty; True if it emptied in time."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        return not self.pids()

    def remove(self) -> None:
        self.kill_all()
        _rmdir(self.path)


class MemoryCgroup:
    """A memory cgroup made for one run (no swap beyond the limit); `create` returns None where
    the host does not allow it. cgroup v1 (memory.limit_in_bytes) or v2 (memory.max)."""

    def __init__(self, path: Path, v2: bool):
        self.path, self.v2 = path, v2
        self.procs_file = path / "cgroup.procs"

    @classmethod
    def create(cls, limit: int) -> "MemoryCgroup | None":
        def v1(made: Path) -> None:
            (made / "memory.limit_in_bytes").write_text(str(limit))
            _write_if_there(made / "memory.memsw.limit_in_bytes", str(limit))

        def v2(made: Path) -> None:
            (made / "memory.max").write_text(str(limit))
            _write_if_there(made / "memory.swap.max", "0")

        for parent, unified in _cgroup_dirs("memory"):
            path = _new_cgroup(parent, v2 if unified else v1)
            if path is not None:
                return cls(path, unified)
        return None

    def oom_kills(self) -> int:
        """How many processes the kernel killed for going over the limit."""
        name = "memory.events" if self.v2 else "memory.oom_control"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and value.strip().isdigit():
                    return int(value)
        except OSError:
            pass
        return 0

    def remove(self) -> None:
        _rmdir(self.path)  # after the pids cgroup killed every process in it


def memory_cgroup_available(limit: int = 64 * MIB) -> bool:
    """Whether a run here gets a memory cgroup (made and removed to find out)."""
    cgroup = MemoryCgroup.create(limit)
    if cgroup is None:
        return False
    cgroup.remove()
    return True


def memory_note(limits: ResourceLimits = ResourceLimits()) -> str:
    """What bounds a local run's memory as a whole, for the user."""
    if memory_cgroup_available():
        return f"memory {limits.memory // MIB} MiB for the whole run (a memory cgroup)"
    return (f"WEAK: the run's total memory is unlimited (no memory cgroup here; "
            f"{limits.address_space // GIB} GiB per process)")


def _new_cgroup(parent: Path, limit: Callable[[Path], object]) -> Path | None:
    """A cgroup of ours under `parent` with `limit` set in it; None where either is refused."""
    _remove_orphans(parent)
    path = parent / f"microagent-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        path.mkdir()
    except OSError:
        return None
    try:
        limit(path)
    except OSError:
        _rmdir(path)
        return None
    return path


def _write_if_there(path: Path, value: str) -> None:
    if path.exists():
        path.write_text(value)


def _remove_orphans(parent: Path) -> None:
    """Remove empty cgroups of ours left by a server that died (its pid is in the name)."""
    try:
        leftovers = list(parent.glob("microagent-*-*"))
    except OSError:
        return
    for path in leftovers:
        owner = path.name.split("-")[1]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            try:
                path.rmdir()  # fails, harmlessly, if anything still runs in it
            except OSError:
                pass


def _rmdir(path: Path) -> None:
    for _ in range(50):  # killed processes leave the cgroup a moment after they die
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
