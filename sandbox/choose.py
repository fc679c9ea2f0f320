"""Picks the sandbox backend from the user's setting and what this host offers, and says why.

Never silently downgrades a backend the user asked for by name; only "auto" falls back, and the
sentence it returns says so (a weak sandbox is always named WEAK). Docker is imported lazily.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from microagent.sandbox.limits import memory_note
from microagent.sandbox.process_backend import BubblewrapSandbox, ProcessSandbox
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import BACKEND_NAMES, Sandbox, SandboxError


def _default_docker_factory(runner: TestRunner) -> Sandbox:
    from microagent.sandbox.docker_backend import DockerSandbox  # the docker SDK is heavy; only on demand

    return DockerSandbox(runner=runner)


def _docker(factory: Callable[[], Sandbox] | None, runner: TestRunner) -> tuple[Sandbox, str]:
    """The factory must raise when the engine is not reachable (SandboxError, ideally)."""
    backend = factory() if factory else _default_docker_factory(runner)
    endpoint = getattr(backend, "endpoint", None)
    return backend, "docker: engine reachable" + (f" at {endpoint}" if endpoint else "")


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def select_backend(
    setting: str = "auto",
    docker_factory: Callable[[], Sandbox] | None = None,
    *,
    python: str = sys.executable,
    python_setting: str | None = None,
    runner: TestRunner,
) -> tuple[Sandbox, str]:
    """Return the backend for `setting` and a sentence for the user saying why it was chosen.

    `python`, `python_setting` and `runner` configure the local backends (bubblewrap, process):
    each workspace's tests run with `python_setting` (sandbox.python) if set, else with the
    workspace's own virtualenv, else with `python` (sandbox/interpreter.py).
    """
    if setting not in BACKEND_NAMES:
        raise SandboxError(f"unknown sandbox setting {setting!r}; use one of {', '.join(BACKEND_NAMES)}")
    if setting == "docker":
        return _docker(docker_factory, runner)
    local: dict[str, Any] = {"python": python, "runner": runner, "python_setting": python_setting}
    if setting == "process":
        return ProcessSandbox(**local), "process: WEAK isolation, chosen in the settings"
    if setting == "bubblewrap":
        jail = BubblewrapSandbox(**local)
        jail.check()
        return jail, f"bubblewrap: chosen in the settings; {memory_note()}"

    try:
        return _docker(docker_factory, runner)
    except Exception as exc:  # noqa: BLE001 - any failure to reach Docker means "fall back"
        docker_problem = _why(exc)
    jail = BubblewrapSandbox(**local)
    try:
        jail.check()
    except SandboxError as exc:
        return ProcessSandbox(**local), (
            "process: WEAK isolation: no Docker engine and no bubblewrap "
            f"(docker: {docker_problem}; bubblewrap: {_why(exc)})"
        )
    return jail, (f"bubblewrap: Docker engine not reachable ({docker_problem}), bwrap found; "
                  f"{memory_note()}")
