"""A src-layout project with a declared dependency, fixed through the language server on the
real Docker engine: the first run builds the workspace's environment and shows it as progress,
the fix reaches the module the package re-exports, and the next run finds the environment
cached. pip fetches from a local wheel cache only (tests/local_wheels.py)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from local_wheels import offline_pip_env
from lsp_editor import wait_for
from lsp_project import ended, reply, review, run_command

pytestmark = pytest.mark.docker

PYPROJECT = """\
    [project]
    name = "geom"
    version = "0.1.0"
    dependencies = ["mdep<2"]

    [build-system]
    requires = ["setuptools>=64"]
    build-backend = "setuptools.build_meta"
    """
SHAPES = """\
    import mdep


    class Rect:
        def __init__(self, w, h):
            self.w, self.h = w, h

        def area(self):
            return mdep.double(self.w) + self.h
    """
FIX = ("```python\n# file: src/geom/shapes.py\nclass Rect:\n    def __init__(self, w, h):\n"
       "        self.w, self.h = w, h\n\n    def area(self):\n"
       "        return mdep.double(self.w) * self.h // 2\n```")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    files = {"pyproject.toml": PYPROJECT, "src/geom/__init__.py": "from .shapes import Rect\n",
             "src/geom/shapes.py": SHAPES,
             "tests/test_area.py": "from geom import Rect\n\n\ndef test_area():\n"
                                   "    assert Rect(2, 3).area() == 6\n"}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def env_images():
    """Removes the environment images the server builds for the test's project."""
    from microagent.sandbox.engine import connect
    from microagent.sandbox.env_image import KEY_LABEL

    client = connect()
    before = {i.id for i in client.images.list(filters={"label": KEY_LABEL})}
    yield
    for image in client.images.list(filters={"label": KEY_LABEL}):
        if image.id not in before:
            client.images.remove(image.id, force=True)
    client.close()


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
    assert "* self.h // 2" in editor.text("src/geom/shapes.py")

    second = await run_command(editor, "microagent.fix", "tests/test_area.py")
    end = await wait_for(lambda: ended(editor, second["token"]), timeout=300, what="run two")
    again = messages(editor, second["token"])
    assert any("environment cached" in m for m in again), again
    assert not any("building" in m for m in again), again
    assert "already pass" in end.message  # the edited buffer is what the second run tested
    state = json.loads(next((tmp_path / "cache/microagent/environments").glob("*/state.json"))
                       .read_text())
    assert state["status"] == "built" and "mdep==1.0" in state["installed"]
