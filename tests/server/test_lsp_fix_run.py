"""A fix run from the editor: the command returns at once, progress shows the iterations, the
fix comes back as a minimal versioned edit, and afterwards the project's tests pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, reply, review, run_command

CLEAN_REVIEW = review()


def pytest_passes(root: Path, *paths: str) -> bool:
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths],
                         cwd=root, capture_output=True, text=True, timeout=300)
    return run.returncode == 0


async def test_a_fix_run_ends_in_an_edit_after_which_the_tests_pass(lsp, project):
    editor = await lsp(replies=[reply("coder", FIXED_ADD), CLEAN_REVIEW])
    editor.open("test_calc.py")
    editor.open("calc.py")
    assert not pytest_passes(project, "test_calc.py")

    started = await run_command(editor, "microagent.fix", "test_calc.py", "test_calc.py::test_add")
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert "solved" in end.message

    await wait_for(lambda: editor.edits, what="the edit")
    [params] = editor.edits
    [change] = params.edit.document_changes
    assert change.text_document.uri == editor.uri("calc.py")
    assert change.text_document.version == 1  # the version the run started from
    assert [(e.range.start.line, e.new_text) for e in change.edits] == [(1, "+")]  # minimal
    assert editor.results[-1].applied
    await wait_for(lambda: editor.client.messages, what="summary message")
    assert "Edited calc.py" in editor.client.messages[-1].message

    editor.save_all()
    assert pytest_passes(project, "test_calc.py")


async def test_progress_begins_reports_iterations_and_ends(lsp):
    editor = await lsp(replies=[reply("coder", "no code here"), reply("coder", FIXED_ADD),
                                CLEAN_REVIEW])
    editor.open("test_calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    reports = editor.client.progress_reports[started["token"]]
    kinds = [r.kind for r in reports]
    assert kinds[0] == "begin" and kinds[-1] == "end" and set(kinds[1:-1]) == {"report"}
    assert reports[0].cancellable is True and "fix" in reports[0].title
    messages = [r.message for r in reports[1:-1]]
    assert "candidate 2/24 · 1/2 tests passing · coder writing" in messages
    assert "candidate 2/24 · 2/2 tests passing" in messages
    percentages = [r.percentage for r in reports[:-1] if r.percentage is not None]
    assert percentages == sorted(percentages)


async def test_confirm_edits_asks_for_confirmation(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD), CLEAN_REVIEW],
                       settings={"confirmEdits": True})
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    await wait_for(lambda: editor.edits, what="the edit")
    edit = editor.edits[0].edit
    [annotation] = edit.change_annotations.values()
    assert annotation.needs_confirmation is True
    [change] = edit.document_changes
    assert all(isinstance(e, types.AnnotatedTextEdit) for e in change.edits)


async def test_the_run_sees_unsaved_text(lsp, project):
    """The user added a line to calc.py without saving: the run works on that text, and its
    edit is placed relative to it."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD), CLEAN_REVIEW])
    editor.open("test_calc.py")
    editor.open("calc.py")
    editor.type("calc.py", 0, 0, "# unsaved note\n")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    await wait_for(lambda: editor.edits, what="the edit")
    [change] = editor.edits[0].edit.document_changes
    assert change.text_document.version == 2
    assert [(e.range.start.line, e.new_text) for e in change.edits] == [(2, "+")]
    assert editor.text("calc.py").startswith("# unsaved note\ndef add(a, b):\n    return a + b")
    assert "# unsaved note" not in (project / "calc.py").read_text()
    # The Coder is shown only the functions the failing test reaches, so the note (a comment
    # above them) is not in its prompt; the edit's line and version above show the run's
    # baseline was the unsaved buffer.


async def test_a_cheating_answer_is_refused_and_the_editor_says_why(lsp, project):
    cheat = "```python\n# file: calc.py\nimport pytest\n\n\ndef add(a, b):\n    pytest.skip()\n```"
    editor = await lsp(replies=[reply("coder", cheat, repeat=True)])
    editor.open("test_calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    said = "refused without running the tests: the change imports pytest in calc.py:1"
    assert "solved" not in end.message and said in end.message
    await wait_for(lambda: editor.client.messages, what="summary message")
    assert said in editor.client.messages[-1].message
    assert not editor.edits and "pytest" not in (project / "calc.py").read_text()
