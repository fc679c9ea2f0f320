"""Shared fixtures: a scripted model registered through litellm's custom-provider door."""

from __future__ import annotations

import os
import platform

import pytest

import system_parts

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def pytest_report_header(config):
    import importlib.metadata as md

    parts = [f"python {platform.python_version()}"]
    for dist in ("litellm", "pygls", "lsprotocol", "docker", "pydantic", "llama-cpp-python"):
        try:
            parts.append(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            parts.append(f"{dist} absent")
    return [", ".join(parts), _engine_line(), system_parts.js_runners_line()]


def _engine_line() -> str:
    """The Docker engine the docker-marked tests will use, and whether the image is built."""
    import docker

    from microagent.sandbox.engine import engine_status

    state = engine_status(lambda: docker.from_env(timeout=5))
    if not state.reachable:
        return "docker engine: unreachable"
    image = "present" if state.image_present else "absent (the docker tests build it)"
    return f"docker engine {state.version} (API {state.api_version}), image {state.image} {image}"


def pytest_runtest_setup(item):
    """A test marked `docker` needs the engine and the sandbox image; without them it skips
    (or fails, with MICROAGENT_SYSTEM_REQUIRED=1) naming what is missing."""
    if item.get_closest_marker("docker"):
        system_parts.docker_engine()


@pytest.fixture
def scripted():
    """The scripted provider; call `scripted.load([...])` with the replies a test needs."""
    from microagent.agents.models.scripted_model import register_scripted_provider

    model = register_scripted_provider([])
    yield model
    model.load([])


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory):
    """A local wheel cache for the environment tests (tests/local_wheels.py)."""
    from local_wheels import build_wheelhouse

    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))
