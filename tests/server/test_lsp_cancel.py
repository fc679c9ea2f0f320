"""Stopping a run: from the progress bar's cancel button or with `microagent.cancel`. The bar
ends, no edit arrives, the file keeps the user's text, and the document is free for a new run."""

from __future__ import annotations

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import CALC, FIXED_ADD, ended, model_calls, reply, review, run_command

SLOW_CODER = reply("coder", FIXED_ADD, delay=120)


async def test_cancel_from_the_progress_bar(lsp, tmp_path):
    editor = await lsp(replies=[SLOW_CODER])
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    token = started["token"]
    await wait_for(lambda: model_calls(tmp_path) == 1, what="the coder at work")

    editor.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    end = await wait_for(lambda: ended(editor, token), what="progress end")
    assert "cancelled" in end.message
    assert editor.edits == [] and editor.text("calc.py") == CALC


async def test_cancel_command_then_a_new_run_on_the_same_document(lsp, tmp_path):
    editor = await lsp(replies=[SLOW_CODER, reply("coder", FIXED_ADD), review()])
    editor.open("test_calc.py")
    editor.open("calc.py")
    first = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: model_calls(tmp_path) == 1, what="the coder at work")

    result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="microagent.cancel", arguments=[{"uri": editor.uri("test_calc.py")}]))
    assert result["cancelled"] == 1
    await wait_for(lambda: ended(editor, first["token"]), what="first run's end")

    second = await run_command(editor, "microagent.fix", "test_calc.py")
    end = await wait_for(lambda: ended(editor, second["token"]), what="second run's end")
    assert "solved" in end.message
    await wait_for(lambda: editor.edits, what="the second run's edit")
    assert "a + b" in editor.text("calc.py")
