"""A run copies and tests the folder its document belongs to, so it starts only from a file in a
folder the user opened: a file elsewhere (/etc/passwd), an unsaved buffer (untitled:) or a file
opened with no folder at all gets a message saying why and what to do, and no run."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, TEST_CALC, ended, model_calls, reply, review


def open_outside(editor, path: Path, text: str) -> str:
    uri = path.as_uri()
    editor.client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    return uri


async def execute(editor, command: str, uri: str, target: str | None = None) -> dict:
    return await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command, arguments=[{"uri": uri, "target": target}]))


def warnings(editor) -> list[str]:
    return [m.message for m in editor.client.messages if m.type == types.MessageType.Warning]


async def test_a_file_outside_every_workspace_folder_is_refused(lsp, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "test_calc.py").write_text(TEST_CALC, encoding="utf-8")
    editor = await lsp(replies=[reply("coder", FIXED_ADD), review()])
    uri = open_outside(editor, elsewhere / "test_calc.py", TEST_CALC)

    for command in ("microagent.fix", "microagent.implement", "microagent.review"):
        result = await execute(editor, command, uri)
        assert result["started"] is False, command
        assert "outside every workspace folder" in result["reason"]

    # the code actions offered there start nothing either, and say so
    offered = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(4, 4), types.Position(4, 4)),
        context=types.CodeActionContext(diagnostics=[])))
    for action in offered:
        result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments))
        assert result["started"] is False, action.title

    told = await wait_for(lambda: warnings(editor), what="a warning")
    assert str(elsewhere / "test_calc.py") in told[0]
    assert "Open the folder that holds it as a workspace folder" in told[0]
    assert not editor.client.progress_reports  # no run began
    assert model_calls(tmp_path) == 0


async def test_dot_dot_escapes_and_links_out_of_the_folder_are_outside_too(lsp, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "test_calc.py").write_text(TEST_CALC, encoding="utf-8")
    editor = await lsp(replies=[reply("coder", FIXED_ADD), review()])
    (editor.root / "linked").symlink_to(elsewhere, target_is_directory=True)
    tricks = [editor.root.as_uri() + "/../elsewhere/test_calc.py",
              editor.root.as_uri() + "/%2E%2E/elsewhere/test_calc.py",
              editor.root.as_uri() + "/./linked/test_calc.py"]
    for uri in tricks:
        editor.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1,
                                                 text=TEST_CALC)))
        result = await execute(editor, "microagent.fix", uri)
        assert result["started"] is False, uri
        assert "outside every workspace folder" in result["reason"], uri
        assert str(elsewhere / "test_calc.py") in result["reason"], uri
    assert not editor.client.progress_reports  # no run began
    assert model_calls(tmp_path) == 0


async def test_a_document_that_is_not_a_file_is_refused(lsp, tmp_path):
    editor = await lsp()
    for uri in ("untitled:Untitled-1", "vscode-notebook-cell:/proj/notes.ipynb#W0sZmlsZQ%3D%3D"):
        result = await execute(editor, "microagent.fix", uri)
        assert result["started"] is False
        assert "not a file on disk" in result["reason"] and "Save it" in result["reason"]
    await wait_for(lambda: len(warnings(editor)) == 2, what="two warnings")
    assert not editor.client.progress_reports


async def test_with_no_folder_and_no_root_a_run_is_refused(lsp, project, tmp_path):
    editor = await lsp(workspace="none")
    uri = editor.open("test_calc.py")
    result = await execute(editor, "microagent.fix", uri)
    assert result["started"] is False
    told = await wait_for(lambda: warnings(editor), what="a warning")
    assert "opened no folder" in told[0] and "Open the project's folder" in told[0]
    assert model_calls(tmp_path) == 0


async def test_the_root_uri_stands_in_for_workspace_folders(lsp):
    """An editor that sends a rootUri and no folders (older clients): the rootUri is the root."""
    editor = await lsp(replies=[reply("coder", FIXED_ADD), review()], workspace="root")
    editor.open("test_calc.py")
    editor.open("calc.py")
    result = await execute(editor, "microagent.fix", editor.uri("test_calc.py"))
    assert result["started"] is True
    end = await wait_for(lambda: ended(editor, result["token"]), what="progress end")
    assert "solved" in end.message
    await wait_for(lambda: editor.edits, what="the edit")
    assert "a + b" in editor.text("calc.py")
