"""Without a reachable engine: clear messages, and "auto" falls back instead of failing."""

from __future__ import annotations

import docker
import pytest
from click.testing import CliRunner

from microagent.sandbox.choose import select_backend
from microagent.sandbox.docker_backend import DockerSandbox
from microagent.sandbox.engine import clean_containers, engine_status
from microagent.sandbox.types import SandboxError
from microagent.server.cli.main import main
from microagent.languages.python.pytest_runner import PytestRunner


def nowhere() -> docker.DockerClient:
    return docker.DockerClient(base_url="unix:///nonexistent/docker.sock", timeout=2)


def test_status_says_the_engine_is_unreachable_and_what_to_do():
    state = engine_status(nowhere)

    assert state.reachable is False
    assert "Cannot reach the Docker engine" in state.error
    assert "--backend bubblewrap" in state.error


def test_docker_sandbox_refuses_to_start_without_an_engine():
    with pytest.raises(SandboxError, match="Start Docker or set DOCKER_HOST"):
        DockerSandbox(client_factory=nowhere, runner=PytestRunner())
    with pytest.raises(SandboxError):
        clean_containers(nowhere, include_live=True)


def test_auto_falls_back_and_says_why():
    def docker_factory() -> DockerSandbox:
        return DockerSandbox(client_factory=nowhere, runner=PytestRunner())

    backend, why = select_backend("auto", docker_factory=docker_factory, runner=PytestRunner())

    assert backend.name in ("bubblewrap", "process")
    assert "Cannot reach the Docker engine" in why


def test_cli_status_exits_non_zero(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    result = CliRunner().invoke(main, ["sandbox", "status"])

    assert result.exit_code == 1
    text = " ".join(result.output.split())  # rich wraps long lines
    assert "Cannot reach the Docker engine at unix:///nonexistent/docker.sock" in text
