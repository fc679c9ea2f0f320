"""The edit first, over real LSP: the editor gets the proven fix (and the progress ends) while
the Reviewer is still thinking; the review's comments come afterwards as diagnostics, and
cancelling the review never takes the edit back."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, reply, review, run_command

SLOW_REVIEW = {**review({"file": "calc.py", "line": 2, "severity": "warning",
                         "message": "no type hints"}), "delay": 8}


async def test_the_edit_arrives_before_the_review_and_its_comments_after(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD), SLOW_REVIEW])
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py", "test_calc.py::test_add")
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert "solved" in end.message and "reviewing" in end.message
    # the edit follows the progress' end at once (sent right after it), the review 8 s later
    await wait_for(lambda: editor.edits and editor.results[-1].applied, what="the edit")
    assert "return a + b" in editor.text("calc.py")
    assert not editor.client.diagnostics.get(editor.uri("calc.py"))  # the review is still to come

    await wait_for(lambda: editor.lines_with_diagnostics("calc.py") == [(1, "no type hints")],
                   what="the review's comment", timeout=60)
    assert len(editor.edits) == 1  # the final result is not applied a second time


async def test_cancelling_the_review_keeps_the_edit(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD), {**SLOW_REVIEW, "delay": 120}])
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py", "test_calc.py::test_add")
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    cancelled = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="microagent.cancel", arguments=[]))
    assert cancelled["cancelled"] == 1  # the review was still running
    await asyncio.sleep(2)
    assert "return a + b" in editor.text("calc.py") and len(editor.edits) == 1
    assert not editor.client.diagnostics.get(editor.uri("calc.py"))
    again = await run_command(editor, "microagent.fix", "test_calc.py", "test_calc.py::test_add")
    await wait_for(lambda: ended(editor, again["token"]), what="a new run after the cancel")
