"""A file the run read changes while it works (the user edits the test, or a script rewrites a
file on disk): its tests judged the old text, so the result is stale. Nothing is applied, no
"solved" is shown, and the user is offered to run it again, which then tests the new text."""

from __future__ import annotations

import pytest
from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, reply, reported, review, run_command


def answer_run_again(editor, answer: str | None = "Run again") -> list[types.ShowMessageRequestParams]:
    """Answer window/showMessageRequest as a user clicking `answer` would; return the asked."""
    asked: list[types.ShowMessageRequestParams] = []

    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        asked.append(params)
        return types.MessageActionItem(title=answer) if answer else None

    editor.client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)(ask)
    return asked


async def test_editing_the_test_during_the_run_makes_it_stale_and_run_again_tests_the_edit(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=3), review(),
                                reply("coder", FIXED_ADD), review()])
    asked = answer_run_again(editor)
    editor.open("test_calc.py")
    editor.open("calc.py")
    first = await run_command(editor, "microagent.fix", "test_calc.py", "test_calc.py::test_add")
    await wait_for(lambda: reported(editor, first["token"], "coder writing"), what="the coder")
    editor.type("test_calc.py", 4, 15, "2, 2) == 4", end=(4, 25))  # the user changes the test
    assert "assert add(2, 2) == 4" in editor.text("test_calc.py")

    end = await wait_for(lambda: ended(editor, first["token"]), what="progress end")
    assert ": stale — test_calc.py changed while micro-agent was running" in end.message
    assert "solved" not in end.message and "tests pass" not in end.message
    [question] = await wait_for(lambda: asked, what="the offer to run again")
    assert question.type == types.MessageType.Warning
    assert "test_calc.py changed" in question.message
    assert [a.title for a in question.actions] == ["Run again"]
    assert not any("tests pass" in m.message or "Edited" in m.message
                   for m in editor.client.messages)

    # "Run again" started the same command on the current text; its edit is applied
    await wait_for(lambda: editor.edits, what="the second run's edit")
    [change] = editor.edits[0].edit.document_changes
    assert change.text_document.uri == editor.uri("calc.py") and change.text_document.version == 1
    second = [t for t in editor.client.progress_reports if t != first["token"]]
    assert len(second) == 1
    end = await wait_for(lambda: ended(editor, second[0]), what="the second run's end")
    assert ": solved — " in end.message
    assert "a + b" in editor.text("calc.py")


async def test_a_file_changed_on_disk_during_the_run_makes_it_stale(lsp, project):
    """The test file is not open: a script (or a checkout) rewrites it on disk mid-run."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=3), review()])
    asked = answer_run_again(editor, answer=None)  # the user dismisses the question
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "calc.py", "test_calc.py")
    await wait_for(lambda: reported(editor, started["token"], "coder writing"), what="the coder")
    test = project / "test_calc.py"
    test.write_text(test.read_text().replace("mul(2, 3) == 6", "mul(3, 3) == 9"), encoding="utf-8")

    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert ": stale — test_calc.py changed" in end.message
    await wait_for(lambda: asked, what="the offer to run again")
    assert editor.edits == []
    assert "a - b" in editor.text("calc.py")
    assert len(editor.client.progress_reports) == 1  # dismissed: nothing ran again


@pytest.mark.parametrize("where", ["buffer", "disk"])
async def test_a_file_that_only_the_tests_import_counts_too(lsp, project, where):
    """shelf.py is neither the test nor the edited file, but the tests could import it."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=3), review()])
    answer_run_again(editor, answer=None)
    editor.open("test_calc.py")
    editor.open("calc.py")
    if where == "buffer":
        editor.open("shelf.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: reported(editor, started["token"], "coder writing"), what="the coder")
    if where == "buffer":
        editor.type("shelf.py", 0, 0, "import calc\n")
    else:
        (project / "shelf.py").write_text("import calc\n", encoding="utf-8")
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert ": stale — shelf.py changed" in end.message
    assert editor.edits == []


async def test_a_change_that_is_undone_before_the_end_is_no_change(lsp):
    """Only the text counts: typed and deleted again, the test is what the run tested."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=3), review()])
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: reported(editor, started["token"], "coder writing"), what="the coder")
    editor.type("test_calc.py", 0, 0, "# note\n")
    editor.type("test_calc.py", 0, 0, "", end=(1, 0))
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert ": solved — " in end.message
    await wait_for(lambda: editor.edits, what="the edit")
    assert "a + b" in editor.text("calc.py")
