"""The Docker engine as the rest of microagent sees it: connect, report status, clean up leftovers.

The CLI reaches Docker only through here (it must not import docker). Removes only containers
that carry microagent's labels, never anything else on the engine.
"""

from __future__ import annotations

import os
import socket
from typing import Callable

import docker
import docker.errors
from pydantic import BaseModel, Field

from microagent.sandbox.container import MODE_LABEL, OWNER_LABEL, WORKSPACE_LABEL, remove_container
from microagent.sandbox.image_build import DEFAULT_IMAGE, build_image, image_present
from microagent.sandbox.types import SandboxError

ClientFactory = Callable[[], docker.DockerClient]


def connect(client_factory: ClientFactory = docker.from_env,
            where: str | None = None) -> docker.DockerClient:
    """A client that answered a ping; SandboxError (saying what to do) if there is none.
    `where` names the engine in the message (default: DOCKER_HOST or the default socket)."""
    try:
        client = client_factory()
        client.ping()
    except (docker.errors.DockerException, OSError) as exc:
        where = where or os.environ.get("DOCKER_HOST", "the default socket")
        raise SandboxError(
            f"Cannot reach the Docker engine at {where} ({exc}). Start Docker or set DOCKER_HOST, "
            "or choose another sandbox: --backend bubblewrap or --backend process."
        ) from exc
    return client


def endpoint(client: docker.DockerClient) -> str:
    """Where the engine is, as DOCKER_HOST would say it."""
    socket_path = getattr(getattr(client.api, "_custom_adapter", None), "socket_path", None)
    return f"unix://{socket_path}" if socket_path else client.api.base_url


class ContainerSummary(BaseModel):
    id: str
    name: str
    status: str
    owner: str
    workspace: str
    mode: str


class EngineStatus(BaseModel):
    reachable: bool
    endpoint: str = ""
    version: str = ""
    api_version: str = ""
    error: str = ""
    image: str = DEFAULT_IMAGE
    image_present: bool = False
    containers: list[ContainerSummary] = Field(default_factory=list)


def list_containers(client: docker.DockerClient) -> list[ContainerSummary]:
    """Every container on the engine that carries microagent's owner label."""
    found = client.containers.list(all=True, filters={"label": OWNER_LABEL}, ignore_removed=True)
    return [
        ContainerSummary(
            id=c.id[:12],
            name=c.name,
            status=c.status,
            owner=c.labels.get(OWNER_LABEL, ""),
            workspace=c.labels.get(WORKSPACE_LABEL, ""),
            mode=c.labels.get(MODE_LABEL, ""),
        )
        for c in found
    ]


def engine_status(
    client_factory: ClientFactory = docker.from_env, image: str = DEFAULT_IMAGE,
    where: str | None = None,
) -> EngineStatus:
    try:
        client = connect(client_factory, where)
    except SandboxError as exc:
        return EngineStatus(reachable=False, error=str(exc), image=image)
    try:
        version = client.version()
        return EngineStatus(
            reachable=True,
            endpoint=endpoint(client),
            version=version.get("Version", ""),
            api_version=version.get("ApiVersion", ""),
            image=image,
            image_present=image_present(client, image),
            containers=list_containers(client),
        )
    finally:
        client.close()


def clean_containers(
    client_factory: ClientFactory = docker.from_env, *, include_live: bool = False
) -> tuple[list[str], list[str]]:
    """Remove microagent containers; returns (removed, kept) short ids.

    Containers whose owner is a live process on this host (a running language server) are
    kept unless `include_live`; any other owner, on any host, counts as a leftover.
    """
    client = connect(client_factory)
    host = socket.gethostname()
    removed, kept = [], []
    try:
        for container in client.containers.list(all=True, filters={"label": OWNER_LABEL}, ignore_removed=True):
            owner_host, _, pid = container.labels.get(OWNER_LABEL, "").rpartition(":")
            if not include_live and owner_host == host and pid.isdigit() and _alive(int(pid)):
                kept.append(container.id[:12])
                continue
            remove_container(container)
            removed.append(container.id[:12])
        return removed, kept
    finally:
        client.close()


def remove_orphans(client: docker.DockerClient, host: str | None = None) -> list[str]:
    """The janitor: remove containers whose owner was a process on this host that is gone."""
    host = host or socket.gethostname()
    removed = []
    for container in client.containers.list(all=True, filters={"label": OWNER_LABEL}, ignore_removed=True):
        owner_host, _, pid = container.labels.get(OWNER_LABEL, "").rpartition(":")
        if owner_host == host and pid.isdigit() and not _alive(int(pid)):
            remove_container(container)
            removed.append(container.id[:12])
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ensure_image(
    tag: str = DEFAULT_IMAGE,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda line: None,
    client_factory: ClientFactory = docker.from_env,
) -> tuple[str, bool]:
    """Build the sandbox image unless present (or `force`); returns (image id, built now)."""
    client = connect(client_factory)
    try:
        if not force and image_present(client, tag):
            return client.images.get(tag).id, False
        return build_image(client, tag, progress), True
    finally:
        client.close()
