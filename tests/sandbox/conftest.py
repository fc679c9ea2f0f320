"""Fixtures for the Docker sandbox tests: a real engine, the real image, and a leftover check.

The tests that use them are marked `docker`: tests/conftest.py skips them, saying what to add,
when the engine or the image is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from microagent.languages.python.pytest_runner import PytestRunner


@pytest.fixture(scope="session")
def docker_client():
    """A client for the engine (the `docker` marker saw that it answers and the image is built)."""
    from microagent.sandbox.container import OWNER_LABEL, owner_label, remove_container
    from microagent.sandbox.engine import connect

    client = connect()
    yield client
    # Session-finish check: nothing this test process started may outlive the suite.
    left = client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={owner_label()}"})
    for container in left:
        remove_container(container)
    client.close()
    assert not left, f"containers left behind by the tests: {[c.short_id for c in left]}"


@pytest.fixture
def owned_containers(docker_client):
    """A function listing the ids of the containers this test process owns on the engine."""
    from microagent.sandbox.container import OWNER_LABEL, owner_label

    def ids() -> list[str]:
        mine = {"label": f"{OWNER_LABEL}={owner_label()}"}
        return sorted(c.id for c in docker_client.containers.list(all=True, filters=mine))

    return ids


@pytest.fixture
async def docker_sandbox(docker_client, owned_containers):
    """A warm DockerSandbox, closed after the test; the test fails if it leaves a container."""
    from microagent.sandbox.docker_backend import DockerSandbox

    box = DockerSandbox(runner=PytestRunner())
    yield box
    await box.close()
    assert owned_containers() == []


PASS_FAIL_PROJECT = {
    "calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n",
    "test_calc.py": (
        "from calc import add, mul\n\n\n"
        "def test_add():\n    assert add(1, 2) == 3\n\n\n"
        "def test_add_negative():\n    assert add(-1, 1) == 0\n\n\n"
        "def test_mul():\n    assert mul(2, 3) == 6\n\n\n"
        "def test_mul_zero():\n    assert mul(0, 5) == 0\n\n\n"
        "def test_wrong():\n    assert add(2, 2) == 5\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path):
    """Write a project to disk and return a function giving its snapshot plus overlays."""
    from microagent.sandbox.snapshot import read_workspace

    root = tmp_path / "project"
    root.mkdir()

    def make(files: dict[str, str] | None = None):
        for name, text in (files or PASS_FAIL_PROJECT).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return read_workspace(root)

    make.root = root  # type: ignore[attr-defined]
    make.default_files = PASS_FAIL_PROJECT  # type: ignore[attr-defined]
    return make
