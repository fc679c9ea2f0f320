"""The workspace's own environment in the Docker sandbox: what it declares (sandbox/
dependencies.py), fetched on the host (sandbox/wheel_fetch.py), installed into a layer on the
sandbox image with no network (sandbox/env_image.py), keyed by a digest of the dependency files,
the base image and the settings, and reused until one of them changes.

A run uses the environment prepared for its workspace when the run began: what a candidate
writes never triggers a build. Stale layers of a workspace are removed when a new one lands.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Sequence

import docker
import docker.errors
import platformdirs
from filelock import FileLock, Timeout
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from microagent.sandbox.container import WORKSPACE_LABEL, workspace_label
from microagent.sandbox.dependencies import Declared, read_declared, requirement_file_lines
from microagent.sandbox.devcontainer import devcontainer_image
from microagent.sandbox.env_image import (KEY_LABEL, InstallPlan, build_env_image, env_tag,
                                          python_of)
from microagent.sandbox.image_build import image_present
from microagent.sandbox.prepared import PreparedImages
from microagent.sandbox.types import (Environment, EnvironmentFailed, Progress, SandboxError,
                                      WorkspaceSnapshot)
from microagent.sandbox.wheel_fetch import fetch_wheels, host_requirements

LAYOUT = "1"  # bump when the layer's layout changes, so older layers are rebuilt
ROUNDS = 8  # a project whose metadata is dynamic names its requirements one pip error at a time
_BUILD_FAILED = "Failed to build 'file:///work'"  # pip: the project's own build backend failed
_MISSING = re.compile(r"Could not find a version that satisfies the requirement (\S+)")


def default_cache() -> Path:
    return Path(platformdirs.user_cache_dir("microagent")) / "environments"


def _quiet(line: str) -> None:
    pass


class Environments(PreparedImages):
    """The environment layers on one Docker engine, for every workspace this sandbox serves."""

    def __init__(self, client: docker.DockerClient, base: str, *, cache: Path | None = None,
                 requirements: Sequence[str] = (), setup: str | None = None,
                 devcontainer: bool = False,
                 fetch=fetch_wheels) -> None:  # type: ignore[no-untyped-def]
        """`devcontainer`: a workspace whose devcontainer.json names an image the engine has
        gets its layer on that image instead of `base` (the user named no sandbox.image)."""
        self.client = client
        self.base = base
        self.devcontainer = devcontainer
        self.cache = cache or default_cache()
        self.requirements = list(requirements)
        self.setup = setup
        self._fetch = fetch
        super().__init__()

    def describe(self, snapshot: WorkspaceSnapshot) -> dict:
        """What `microagent sandbox env` shows: what is declared and the layer's state."""
        declared = read_declared(snapshot, self.requirements)
        found: dict = {"sources": declared.sources, "requirements": declared.requirements,
                       "requirement_files": declared.requirement_files,
                       "installable": declared.installable, "extras": declared.extras,
                       "pins": len(declared.pins), "requires_python": declared.requires_python,
                       "problems": declared.problems}  # fmt: skip
        base = self._base_for(snapshot)
        found["base"] = base
        if declared.empty and not self.setup and base == self.base:
            return {**found, "state": "plain", "image": self.base}
        key = self._key(snapshot, declared, base)
        state = self._read_state(key)
        if image_present(self.client, env_tag(key)):
            return {**found, **state, "state": "cached", "image": env_tag(key), "key": key}
        if state.get("status") == "building":  # or a build that died: then nobody holds the lock
            busy = FileLock(self._lock_file(key))
            try:
                busy.acquire(timeout=0)
                busy.release()
            except Timeout:
                return {**found, **state, "state": "building", "image": env_tag(key), "key": key}
        if state.get("status") == "failed":
            return {**found, **state, "state": "failed", "image": env_tag(key), "key": key}
        return {**found, "state": "not built", "image": env_tag(key), "key": key}

    # -- building --------------------------------------------------------------------------

    def _ensure(self, snapshot: WorkspaceSnapshot, progress: Progress) -> Environment:
        declared = read_declared(snapshot, self.requirements)
        if declared.problems:
            raise EnvironmentFailed("Cannot read the workspace's dependency files: "
                                    + "; ".join(declared.problems))
        base = self._base_for(snapshot)
        if declared.empty and not self.setup and base == self.base:
            return Environment(backend="docker", status="plain", image=self.base)
        key = self._key(snapshot, declared, base)
        tag = env_tag(key)
        if image_present(self.client, tag):
            return self._environment("cached", tag, declared, self._read_state(key))
        self.cache.mkdir(parents=True, exist_ok=True)
        with FileLock(self._lock_file(key)):  # another process may be building it
            if image_present(self.client, tag):
                return self._environment("cached", tag, declared, self._read_state(key))
            began = time.monotonic()
            self._write_state(key, {"status": "building", "when": time.time()})
            try:
                info = self._build(snapshot, declared, key, base, progress)
            except EnvironmentFailed as exc:
                self._write_state(key, {"status": "failed", "error": str(exc),
                                        "when": time.time()})
                raise
            state = {"status": "built", "when": time.time(), **info,
                     "seconds": round(time.monotonic() - began, 1)}
            self._write_state(key, state)
        self._remove_stale(snapshot, key)
        return self._environment("built", tag, declared, state)

    def _build(self, snapshot: WorkspaceSnapshot, declared: Declared, key: str, base: str,
               progress: Progress) -> dict:
        target = python_of(self.client, base)
        _check_python(declared, target.version, base)
        folder = self.cache / key[:16]
        wheels = folder / "wheels"
        wanted = ["pip"] + (declared.build_requires if declared.installable else [])
        wanted += declared.requirements + ([] if target.has_pytest else ["pytest"])
        for path in declared.requirement_files:
            wanted += host_requirements(requirement_file_lines(snapshot, path, options=True))
        constraints = "".join(f"{name}=={version}\n" for name, version in sorted(
            declared.pins.items()))
        plan = InstallPlan(
            editable=declared.installable, extras=declared.extras, constraints=constraints,
            requirements="".join(f"{r}\n" for r in declared.requirements
                                 + ([] if target.has_pytest else ["pytest"])
                                 + [line for p in declared.requirement_files
                                    for line in requirement_file_lines(snapshot, p)]),
            setup=self.setup)  # fmt: skip
        (folder / "constraints.txt").parent.mkdir(parents=True, exist_ok=True)
        (folder / "constraints.txt").write_text(constraints)
        progress(f"building the workspace's environment on {base}, Python "
                 f"{target.version} (once; later runs reuse it)")
        fetched: list[str] = []
        for _ in range(ROUNDS):
            if wanted != fetched:
                (folder / "requirements.txt").write_text("".join(f"{r}\n" for r in wanted))
                self._fetch(folder / "requirements.txt", wheels, target, progress,
                            constraints=folder / "constraints.txt" if constraints else None)
                fetched = list(wanted)
            try:
                info = build_env_image(self.client, base, key, snapshot, wheels, plan,
                                       progress)
                return {**info, "project_installed": plan.editable, "python": target.version}
            except EnvironmentFailed as exc:
                missing = [m for m in _MISSING.findall(str(exc)) if m not in wanted]
                if missing:
                    progress(f"the project's metadata asks for {', '.join(missing)}: fetching")
                    wanted += missing
                elif plan.editable and _BUILD_FAILED in str(exc):
                    # As with a user who installed only the dependencies: the tests import the
                    # project from the workspace, as pytest's rootdir puts it on the path.
                    progress("the project itself cannot be installed (see pip's error above); "
                             "installing its dependencies only")
                    plan.editable = False
                else:  # not a requirement the host can fetch: pip's own error
                    raise
        raise EnvironmentFailed(f"The environment still lacks requirements after {ROUNDS} "
                                "rounds of fetching; see the build's output above.")

    def _environment(self, status: str, tag: str, declared: Declared,
                     state: dict) -> Environment:
        return Environment(backend="docker", status=status, image=tag,  # type: ignore[arg-type]
                           sources=declared.sources, installed=state.get("installed", []),
                           python=state.get("python", ""),
                           seconds=state.get("seconds", 0.0) if status == "built" else 0.0)

    def _base_for(self, snapshot: WorkspaceSnapshot) -> str:
        """The configured image, or the devcontainer's where allowed and the engine has it (it
        is never pulled: the sandbox reaches no registry for a workspace)."""
        image = devcontainer_image(snapshot) if self.devcontainer else None
        return image if image and image_present(self.client, image) else self.base

    def _key(self, snapshot: WorkspaceSnapshot, declared: Declared, base: str) -> str:
        try:
            base_id = self.client.images.get(base).id
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(f"The sandbox image {base} is missing. Run `microagent "
                               "sandbox build`.") from exc
        return declared.key(snapshot, LAYOUT, base_id, json.dumps(self.requirements),
                            self.setup or "")

    def _remove_stale(self, snapshot: WorkspaceSnapshot, key: str) -> None:
        """Older layers of this workspace on this engine go (an image still in use stays)."""
        label = f"{WORKSPACE_LABEL}={workspace_label(snapshot.root)}"
        try:
            images = self.client.images.list(filters={"label": [label, KEY_LABEL]})
        except docker.errors.APIError:
            return
        for image in images:
            old = image.labels.get(KEY_LABEL, "")
            if old and old != key:
                try:
                    self.client.images.remove(image.id)
                except docker.errors.APIError:
                    continue
                _remove_tree(self.cache / old[:16])

    def _lock_file(self, key: str) -> Path:
        return self.cache / f"{key[:16]}.lock"


def _check_python(declared: Declared, version: str, image: str) -> None:
    if not declared.requires_python:
        return
    try:
        allowed = SpecifierSet(declared.requires_python)
    except InvalidSpecifier:
        return  # pip will say what it thinks of it
    if not allowed.contains(version, prereleases=True):
        raise EnvironmentFailed(
            f"The project requires Python {declared.requires_python} (requires-python) but the "
            f"sandbox image {image} has Python {version}. Set sandbox.image to an image whose "
            "python3 satisfies it (for example one built FROM python:3.12-slim with pytest), "
            "or run with --backend bubblewrap or process to use the workspace's own venv.")


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def environment_status(snapshot: WorkspaceSnapshot, image: str, *, requirements: Sequence[str] = (),
                       setup: str | None = None, build: bool = False, progress: Progress = _quiet,
                       devcontainer: bool = False,
                       client_factory=docker.from_env) -> dict:  # type: ignore[no-untyped-def]
    """The workspace's environment on the default engine, as `describe` says it; with `build`,
    built first when it is not cached. SandboxError when no engine answers."""
    from microagent.sandbox.engine import connect

    client = connect(client_factory)
    try:
        environments = Environments(client, image, requirements=requirements, setup=setup,
                                    devcontainer=devcontainer)
        if build:
            environments.prepare(snapshot, progress)
        return environments.describe(snapshot)
    finally:
        client.close()
