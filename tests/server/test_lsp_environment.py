"""A src-layout project with a declared dependency, fixed through the language server on the
real Docker engine: the first run builds the workspace's environment and shows it as progress,
the fix reaches the module the package re-exports, and the next run finds the environment
cached. pip fetches from a local wheel cache only (tests/local_wheels.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from env_projects import FIX, FIXED_LINE, env_image_ids, remove_new_env_images, write_geom_project
from local_wheels import offline_pip_env
from lsp_editor import wait_for
from lsp_project import ended, reply, review, run_command

pytestmark = pytest.mark.docker

@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_geom_project(tmp_path / "proj")


@pytest.fixture
def env_images():
    """Removes the environment images the server builds for the test's project."""
    before = env_image_ids()
    yield
    remove_new_env_images(before)


def messages(editor, token: str) -> list[str]:
    return [r.message for r in editor.client.progress_reports.get(token, []) if r.message]


async def test_a_src_layout_with_a_dependency_is_fixed_and_its_environment_built_once(
        lsp, project, tmp_path, wheelhouse, env_images):
    env = {**offline_pip_env(wheelhouse), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    editor = await lsp(backend="docker", env=env, replies=[reply("coder", FIX), review()])
    editor.open("tests/test_area.py")
    editor.open("src/geom/shapes.py")

    first = await run_command(editor, "microagent.fix", "tests/test_area.py")
    end = await wait_for(lambda: ended(editor, first["token"]), timeout=300, what="the fix")
    assert "solved" in end.message, end.message
    shown = messages(editor, first["token"])
    assert any("building the workspace's environment" in m for m in shown), shown
    assert any(m.startswith("environment: docker: environment built") for m in shown), shown
    await wait_for(lambda: editor.edits, what="the edit")
    [change] = editor.edits[0].edit.document_changes
    assert change.text_document.uri == editor.uri("src/geom/shapes.py")
    assert FIXED_LINE in editor.text("src/geom/shapes.py")

    second = await run_command(editor, "microagent.fix", "tests/test_area.py")
    end = await wait_for(lambda: ended(editor, second["token"]), timeout=300, what="run two")
    again = messages(editor, second["token"])
    assert any("environment cached" in m for m in again), again
    assert not any("building" in m for m in again), again
    assert "already pass" in end.message  # the edited buffer is what the second run tested
    state = json.loads(next((tmp_path / "cache/microagent/environments").glob("*/state.json"))
                       .read_text())
    assert state["status"] == "built" and "mdep==1.0" in state["installed"]
