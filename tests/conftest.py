"""Shared fixtures: a scripted model registered through litellm's custom-provider door."""

from __future__ import annotations

import os
import platform

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def pytest_report_header(config):
    import importlib.metadata as md

    parts = [f"python {platform.python_version()}"]
    for dist in ("litellm", "pygls", "lsprotocol", "docker", "pydantic", "llama-cpp-python"):
        try:
            parts.append(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            parts.append(f"{dist} absent")
    return ", ".join(parts)


@pytest.fixture
def scripted():
    """The scripted provider; call `scripted.load([...])` with the replies a test needs."""
    from agents.scripted_model import register_scripted_provider

    model = register_scripted_provider([])
    yield model
    model.load([])
