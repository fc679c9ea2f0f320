"""The offline image build's pieces (mirror, user), and the image it produced, run for real."""

from __future__ import annotations

import os
import socket

import pytest

from microagent.sandbox.image_build import add_runner_user, apt_mirror, registry_reachable


def test_mirror_comes_from_a_deb822_sources_file(tmp_path):
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n"
        "Components: main\n\n"
        "Types: deb deb-src\nURIs: http://mirror.example/debian/\n"
        "Suites: bookworm bookworm-updates\nComponents: main\n"
    )

    assert apt_mirror(tmp_path) == "http://mirror.example/debian"


def test_mirror_comes_from_a_one_line_sources_list(tmp_path):
    (tmp_path / "sources.list").write_text(
        "# a comment\ndeb-src http://src.example/debian bookworm main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://line.example/debian bookworm main\n"
    )

    assert apt_mirror(tmp_path) == "http://line.example/debian"


def test_mirror_defaults_to_deb_debian_org(tmp_path):
    assert apt_mirror(tmp_path) == "http://deb.debian.org/debian"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving /work to uid 1000 needs root")
def test_runner_user_owns_work(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (tmp_path / "etc/group").write_text("root:x:0:\n")

    add_runner_user(tmp_path)
    add_runner_user(tmp_path)  # twice: still one entry

    passwd = (tmp_path / "etc/passwd").read_text().splitlines()
    assert [line for line in passwd if line.startswith("runner:")] == [
        "runner:x:1000:1000:sandbox runner:/work:/usr/sbin/nologin"
    ]
    assert (tmp_path / "etc/group").read_text().splitlines()[-1] == "runner:x:1000:"
    assert (tmp_path / "work").stat().st_uid == 1000


def test_an_unreachable_registry_is_noticed_quickly():
    with socket.socket() as closed:  # bound but never listening: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        assert registry_reachable("127.0.0.1", port, timeout=1.0) is False


@pytest.mark.docker
async def test_the_image_runs_pytest_as_the_runner_in_work(docker_sandbox, project):
    result = await docker_sandbox.run(
        project(), ["sh", "-c", "id -un; id -u; pwd; python3 -m pytest --version"], timeout=30
    )

    lines = result.output.split()
    assert lines[:3] == ["runner", "1000", "/work"]
    assert "pytest" in result.output and result.exit_code == 0
