"""The Docker sandbox for a Node (TypeScript/JavaScript) workspace: the Node image, and the
workspace's node_modules from its npm lockfile (sandbox/node_env.py) as what its runs start from.

The sandbox knows no language: the caller hands it the runner (vitest or jest, from
languages/typescript/detect.py) built to load itself from NODE_MODULES, and asks
`is_node_workspace` which sandbox a workspace wants.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

import docker

from microagent.sandbox.container import ContainerLimits
from microagent.sandbox.docker_backend import DockerSandbox
from microagent.sandbox.engine import connect
from microagent.sandbox.image_build import image_present
from microagent.sandbox.node_env import NODE_MODULES, NodeEnvironments
from microagent.sandbox.node_image import NODE_IMAGE
from microagent.sandbox.npm_fetch import MANIFEST
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import SandboxError

__all__ = ["NODE_IMAGE", "NODE_MODULES", "is_node_workspace", "node_docker_sandbox"]
PYTHON_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def is_node_workspace(paths: Iterable[str]) -> bool:
    """A package.json at the root and no Python project or source anywhere: the tests are
    vitest's or jest's, and the Node sandbox runs them."""
    paths = list(paths)
    if MANIFEST not in paths:
        return False
    return not any(p in PYTHON_FILES or PurePosixPath(p).suffix == ".py" for p in paths)


def node_docker_sandbox(
    runner: TestRunner, *,
    client_factory: Callable[[], docker.DockerClient] = docker.from_env,
    image: str = NODE_IMAGE, limits: ContainerLimits = ContainerLimits(), warm: bool = True,
    env_cache: Path | None = None, npm: str = "npm", fallback_runner: str | None = None,
) -> DockerSandbox:  # fmt: skip
    """A DockerSandbox running `runner` (its node "node", its modules NODE_MODULES: e.g.
    `detect_runner(files).test_runner(modules=NODE_MODULES)`) in the Node image, each
    workspace's node_modules installed from its lockfile with the host's `npm` fetching.
    `fallback_runner` (the detected runner's name) is added, pinned, to a lockfile without it.
    SandboxError when the engine or the image is missing."""
    client = connect(client_factory)
    try:
        if not image_present(client, image):
            raise SandboxError(
                f"The Node sandbox image {image} is not built yet. Build it once with "
                "`sudo .venv/bin/python -m microagent.sandbox.node_image` (about a minute, "
                "offline but for Debian's mirror and the npm registry).")
    finally:
        client.close()
    return DockerSandbox(
        client_factory, image, limits, runner=runner, warm=warm,
        environments=lambda client, base: NodeEnvironments(
            client, base, cache=env_cache, npm=npm, fallback_runner=fallback_runner))
