"""The three sandbox backends, each a fresh instance per test, closed afterwards.

Docker is marked `docker`; an unreachable engine fails those tests unless
MICROAGENT_SKIP_DOCKER=1 asks to skip them, as in tests/sandbox.
"""

from __future__ import annotations

import os
import sys

import pytest

from microagent.sandbox.process_backend import BubblewrapSandbox, ProcessSandbox
from microagent.sandbox.types import SandboxError
from microagent.languages.python.pytest_runner import PytestRunner


def _docker():
    from microagent.sandbox.docker_backend import DockerSandbox

    try:
        return DockerSandbox(runner=PytestRunner())
    except SandboxError as exc:
        if os.environ.get("MICROAGENT_SKIP_DOCKER") == "1":
            pytest.skip(f"MICROAGENT_SKIP_DOCKER=1 and no Docker sandbox: {exc}")
        pytest.fail(f"{exc}\nSet MICROAGENT_SKIP_DOCKER=1 to skip the docker tests.",
                    pytrace=False)  # fmt: skip


@pytest.fixture(params=[pytest.param("docker", marks=pytest.mark.docker), "bubblewrap",
                        "process"])  # fmt: skip
async def sandbox(request):
    if request.param == "docker":
        box = _docker()
    elif request.param == "bubblewrap":
        box = BubblewrapSandbox(sys.executable, runner=PytestRunner())
    else:
        box = ProcessSandbox(sys.executable, runner=PytestRunner())
    yield box
    await box.close()
