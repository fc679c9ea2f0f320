"""Keeps sandbox containers: warm, one per (workspace, image), reused across runs and brought up
to date by sending only what changed; or cold, a fresh container for every run.

Each container holds a root-owned copy of a snapshot at /base. A run gets the files that differ
from it as a small tar that rides along with the run's own exec (no extra engine round trip);
when that difference grows large it is folded into /base with put_archive instead.

A container that timed out, ran out of memory, crashed or was stopped is never reused, and
`close()` removes every container this pool made, whatever happens.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import threading
from dataclasses import dataclass, field

import docker
import docker.errors
from docker.models.containers import Container

from microagent.sandbox.container import (
    BASEDIR,
    MODE_LABEL,
    OWNER_LABEL,
    WORKSPACE_LABEL,
    ContainerLimits,
    create_container,
    owner_label,
    remove_container,
    workspace_label,
)
from microagent.sandbox.snapshot import changed_paths, snapshot_tar
from microagent.sandbox.types import SandboxError, WorkspaceSnapshot

ROOT_USER = "0:0"
RIDE_ALONG_BYTES = 256 * 1024  # a larger difference from /base is folded into /base
ONE_OFF_RIDE_ALONG_BYTES = 16 * 1024 * 1024  # a one-off container's /base is never reused
# $0: the directory; $1: how many of the arguments after it are files; the rest are their parents.
_DELETE_SCRIPT = """
cd "$0" || exit 1
files=$1; shift
for path; do
  if [ "$files" -gt 0 ]; then rm -f -- "$path" || exit 1; files=$((files - 1))
  else rmdir -p --ignore-fail-on-non-empty -- "$path" 2>/dev/null; fi
done
exit 0
"""


@dataclass
class Sync:
    """What one run sent into its container: the paths put and the paths removed."""

    sent: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass
class Lease:
    """A container handed out for one run. `warm` leases go back to the pool on release.

    `delta` (a tar) and `remove` turn the copy of /base into the run's snapshot; the run's
    exec applies them after resetting the workspace.
    """

    container: Container
    key: tuple[str, str] | None
    sync: Sync = field(default_factory=Sync)
    delta: bytes = b""
    remove: list[str] = field(default_factory=list)


@dataclass
class _Warm:
    container: Container
    base: WorkspaceSnapshot | None = None  # what /base holds
    busy: bool = False


class ContainerPool:
    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        limits: ContainerLimits = ContainerLimits(),
        *,
        warm: bool = True,
        owner: str | None = None,
    ):
        self.client = client
        self.image = image
        self.limits = limits
        self.warm = warm
        self.owner = owner or owner_label()
        self._lock = threading.Lock()
        self._warm: dict[tuple[str, str], _Warm] = {}
        self._made: set[str] = set()
        self._closed = False

    def acquire(self, snapshot: WorkspaceSnapshot, image: str | None = None) -> Lease:
        """A container of `image` (default: the pool's) for `snapshot` (its /base, then the
        lease's delta); warm if one is free."""
        image = image or self.image
        key = (snapshot.root or "", image)
        with self._lock:
            if self._closed:
                raise SandboxError("the Docker sandbox was closed; create a new one")
            entry = self._warm.get(key) if self.warm else None
            reuse = entry is not None and not entry.busy
            if reuse:
                entry.busy = True
        if reuse:
            try:
                return self._lease(entry, key, snapshot, RIDE_ALONG_BYTES)
            except docker.errors.APIError:  # the warm container died under us: start afresh
                self._forget(key, entry.container)
        # A busy warm container (two runs at once on one workspace) gets a one-off sibling.
        own_key = key if self.warm and (entry is None or reuse) else None
        container = self._create(snapshot.root, image, cold=own_key is None)
        fresh = _Warm(container, busy=True)
        if own_key is not None:
            with self._lock:
                self._warm[own_key] = fresh
        try:
            # A new warm container gets the whole snapshot in /base, so later runs send little.
            return self._lease(fresh, own_key, snapshot, 0 if own_key else ONE_OFF_RIDE_ALONG_BYTES)
        except docker.errors.APIError as exc:
            self.release(Lease(container, own_key), healthy=False)
            raise SandboxError(f"could not copy the workspace into the sandbox: {exc}") from exc

    def release(self, lease: Lease, healthy: bool) -> None:
        """Return a warm container for reuse, or remove it (cold, or no longer trustworthy)."""
        with self._lock:
            entry = self._warm.get(lease.key) if lease.key else None
            ours = entry is not None and entry.container is lease.container
            keep = healthy and not self._closed and ours
            if keep:
                entry.busy = False
            elif ours:
                del self._warm[lease.key]
        if not keep:
            self._remove(lease.container)

    def close(self) -> None:
        """Remove every container this pool made, running or not."""
        with self._lock:
            self._closed = True
            self._warm.clear()
            made, self._made = list(self._made), set()
        failures = []
        for container_id in made:
            try:
                remove_container(container_id, self.client)
            except Exception as exc:  # noqa: BLE001 - remove the others, then report
                failures.append(f"{container_id[:12]}: {exc}")
        if failures:
            raise SandboxError(
                "could not remove sandbox containers (try `microagent sandbox clean`): "
                + "; ".join(failures)
            )

    def container_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._made)

    def _create(self, root: str | None, image: str, cold: bool) -> Container:
        labels = {
            OWNER_LABEL: self.owner,
            WORKSPACE_LABEL: workspace_label(root),
            MODE_LABEL: "cold" if cold else "warm",
        }
        try:
            container = create_container(self.client, image, self.limits, labels)
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(
                f"The sandbox image {image} is missing. Run `microagent sandbox build`."
            ) from exc
        except docker.errors.APIError as exc:
            raise SandboxError(f"Docker could not start a sandbox container: {exc}") from exc
        with self._lock:
            self._made.add(container.id)
            closed = self._closed
        if closed:  # closed while we were creating it
            self._remove(container)
            raise SandboxError("the Docker sandbox was closed; create a new one")
        return container

    def _lease(
        self,
        entry: _Warm,
        key: tuple[str, str] | None,
        snapshot: WorkspaceSnapshot,
        ride_limit: int,
    ) -> Lease:
        changed, deleted = changed_paths(entry.base, snapshot)
        sync = Sync(sent=changed, deleted=deleted)
        part = snapshot.model_copy(update={"files": {p: snapshot.files[p] for p in changed}})
        if sum(len(data) for data in part.files.values()) <= ride_limit:
            delta = snapshot_tar(part) if changed else b""
            return Lease(entry.container, key, sync, delta=delta, remove=deleted)
        if deleted:
            self._delete(entry.container, deleted)
        if not entry.container.put_archive(BASEDIR, _owned_by_root(snapshot_tar(part))):
            raise docker.errors.APIError("put_archive refused the workspace")
        entry.base = snapshot
        return Lease(entry.container, key, sync)

    def _delete(self, container: Container, paths: list[str]) -> None:
        """Remove files from /base as root (the runner cannot), then any parents left empty."""
        parents = sorted({posixpath.dirname(p) for p in paths} - {""})
        exec_id = self.client.api.exec_create(
            container.id,
            ["sh", "-c", _DELETE_SCRIPT, BASEDIR, str(len(paths)), *paths, *parents],
            user=ROOT_USER,
        )["Id"]
        self.client.api.exec_start(exec_id)
        if self.client.api.exec_inspect(exec_id).get("ExitCode") != 0:
            raise docker.errors.APIError(f"could not delete {len(paths)} files in the sandbox")

    def _forget(self, key: tuple[str, str], container: Container) -> None:
        with self._lock:
            entry = self._warm.get(key)
            if entry is not None and entry.container is container:
                del self._warm[key]
        self._remove(container)

    def _remove(self, container: Container) -> None:
        try:
            remove_container(container)
        finally:
            with self._lock:
                self._made.discard(container.id)


def _owned_by_root(archive: bytes) -> bytes:
    """The same tar with every entry owned by root, so the runner cannot alter /base."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as src, tarfile.open(
        fileobj=out, mode="w", format=tarfile.PAX_FORMAT
    ) as dst:
        for member in src:
            member.uid = member.gid = 0
            member.uname = member.gname = "root"
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    return out.getvalue()
