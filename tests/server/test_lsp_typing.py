"""The user keeps typing while a run works. Whatever they typed stays: an edit made for older
text is not applied, they are told so, and `microagent.applyLast` redoes it on the new text."""

from __future__ import annotations

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, reply, reported, review, run_command


async def test_typing_during_the_run_keeps_the_users_text_and_apply_last_redoes_it(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=3), review(),
                                reply("coder", FIXED_ADD), review()])
    editor.open("test_calc.py")
    editor.open("calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: reported(editor, started["token"], "coder writing"), what="the coder")
    editor.type("calc.py", 6, 0, "\n\nPI = 3.14\n")  # the user goes on working
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")

    warning = await wait_for(lambda: [m for m in editor.client.messages
                                      if m.type == types.MessageType.Warning], what="a warning")
    assert "changed while micro-agent was running" in warning[0].message
    assert "microagent.applyLast" in warning[0].message
    assert editor.edits == []  # nothing sent for the old text
    assert "PI = 3.14" in editor.text("calc.py") and "a - b" in editor.text("calc.py")

    offered = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri("calc.py")),
        range=types.Range(types.Position(1, 4), types.Position(1, 4)),
        context=types.CodeActionContext(diagnostics=[])))
    [apply_last] = [a for a in offered if a.title == "Apply the last micro-agent result"]
    assert apply_last.command.command == "microagent.applyLast"
    again = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=apply_last.command.command, arguments=apply_last.command.arguments))
    assert again["started"] is True  # the text changed, so it runs again on the new text
    await wait_for(lambda: editor.edits, what="the redone edit")
    [change] = editor.edits[0].edit.document_changes
    assert change.text_document.version == 2  # the text with the user's typing
    text = editor.text("calc.py")
    assert "a + b" in text and "PI = 3.14" in text


async def test_the_editor_refuses_an_edit_for_an_older_version(lsp):
    """The user typed just as the edit arrived: the editor checks the version and refuses."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD), review()])
    editor.open("test_calc.py")
    editor.open("calc.py")
    editor.before_apply = lambda params: editor.type("calc.py", 0, 0, "# typed\n")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    await wait_for(lambda: editor.results, what="the editor's answer")
    assert editor.results[0].applied is False
    warning = await wait_for(lambda: [m for m in editor.client.messages
                                      if m.type == types.MessageType.Warning], what="a warning")
    assert "has changed" in warning[0].message
    text = editor.text("calc.py")
    assert text.startswith("# typed\n") and "a - b" in text
