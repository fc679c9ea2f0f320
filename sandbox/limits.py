"""Resource limits for a sandboxed child: rlimits set just before exec, and a pids cgroup.

RLIMIT_NPROC counts processes per user and does not bind root, so when the host lets us we also
put the child in its own pids cgroup, which caps forks and lets us kill every descendant, even
one that left the process group. Never touches a cgroup it did not create.
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

    def preexec(self, timeout: float, cgroup: "PidsCgroup | None" = None) -> Callable[[], None]:
        """A function for `preexec_fn`: join the cgroup, then lower the limits (child side)."""
        cpu = int(timeout) + self.cpu_grace
        limits = [
            (resource.RLIMIT_AS, self.address_space),
            (resource.RLIMIT_NPROC, self.processes),
            (resource.RLIMIT_FSIZE, self.file_size),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_CPU, cpu),
            (resource.RLIMIT_CORE, 0),
        ]
        procs = str(cgroup.procs_file) if cgroup is not None else None

        def apply() -> None:
            if procs is not None:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
            for kind, value in limits:
                _, hard = resource.getrlimit(kind)
                if hard != resource.RLIM_INFINITY:
                    value = min(value, hard)
                resource.setrlimit(kind, (value, value))

        return apply


def _own_cgroup_dirs() -> list[Path]:
    """Where a child pids cgroup of ours could live: cgroup v1 first, then v2."""
    candidates: list[Path] = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return candidates
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(","):
            candidates.append(Path("/sys/fs/cgroup/pids") / path.lstrip("/"))
        elif controllers == "":
            v2 = Path("/sys/fs/cgroup") / path.lstrip("/")
            try:
                if "pids" in (v2 / "cgroup.subtree_control").read_text().split():
                    candidates.append(v2)
            except OSError:
                pass
    return candidates


class PidsCgroup:
    """A pids cgroup made for one run; `create` returns None where the host does not allow it."""

    def __init__(self, path: Path):
        self.path = path
        self.procs_file = path / "cgroup.procs"

    @classmethod
    def create(cls, max_pids: int) -> "PidsCgroup | None":
        for parent in _own_cgroup_dirs():
            _remove_orphans(parent)
            path = parent / f"microagent-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(max_pids))
                return cls(path)
            except OSError:
                _rmdir(path)
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
