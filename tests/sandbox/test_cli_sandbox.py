"""`microagent sandbox ...` end to end through click, against the real engine."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from microagent.sandbox import container
from microagent.sandbox.image_build import DEFAULT_IMAGE
from microagent.server.cli.main import main

pytestmark = pytest.mark.docker


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_status_reports_engine_and_image(docker_client):
    result = invoke("sandbox", "status")

    assert result.exit_code == 0, result.output
    assert "✓ Docker engine" in result.output and "(API 1." in result.output
    assert f"image {DEFAULT_IMAGE}" in result.output


def test_test_prints_counts_and_failures(docker_client, project, owned_containers):
    project()
    result = invoke("sandbox", "test", str(project.root), "--backend", "docker", "--timeout", "30")

    assert result.exit_code == 1, result.output
    assert "4/5 tests passing" in result.output
    assert "FAILED test_calc.py::test_wrong" in result.output
    assert "assert 4 == 5" in result.output
    assert owned_containers() == []


def test_test_with_node_ids_runs_only_those(docker_client, project):
    project()
    result = invoke(
        "sandbox", "test", str(project.root), "test_calc.py::test_add", "--backend", "docker"
    )

    assert result.exit_code == 0, result.output
    assert "1/1 tests passing" in result.output


def test_build_leaves_a_present_image_alone(docker_client):
    result = invoke("sandbox", "build")

    assert result.exit_code == 0, result.output
    assert "already present" in result.output


def test_clean_removes_leftovers_and_keeps_containers_of_live_processes(docker_client):
    def warm_container(owner: str):
        labels = {container.OWNER_LABEL: owner, container.WORKSPACE_LABEL: "x",
                  container.MODE_LABEL: "warm"}  # fmt: skip
        return container.create_container(
            docker_client, DEFAULT_IMAGE, container.ContainerLimits(), labels
        )

    leftover = warm_container("crashed-host:4242")
    in_use = warm_container(container.owner_label())
    try:
        listed = invoke("sandbox", "status")
        result = invoke("sandbox", "clean")
        remaining = {c.id for c in docker_client.containers.list(all=True)}
    finally:
        container.remove_container(leftover)
        container.remove_container(in_use)

    assert "crashed-host:4242" in listed.output
    assert result.exit_code == 0
    assert leftover.short_id in result.output
    assert leftover.id not in remaining
    assert in_use.id in remaining
    assert "kept" in result.output and "--all" in result.output
