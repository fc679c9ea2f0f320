"""The code actions offered in each context, from static analysis of what the editor holds
(unsaved text included), each carrying the command that starts its run."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from lsp_editor import wait_for

FIX_TEST = "Make this test pass (micro-agent)"
FIX_FILE = "Make the failing tests in this file pass"
IMPLEMENT = "Implement from tests (micro-agent)"
IMPLEMENT_EXAMPLES = "Implement from docstring examples (micro-agent)"
REVIEW = "Review with micro-agent"


async def actions(editor, rel: str, line: int, *, only=None, diagnostics=()):
    result = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri(rel)),
        range=types.Range(types.Position(line, 4), types.Position(line, 4)),
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only)))
    return {a.title: a for a in result or []}


def command_of(action) -> tuple[str, str | None]:
    assert action.command is not None, f"{action.title} carries no command"
    [args] = action.command.arguments
    return action.command.command, args["target"]


async def test_in_a_test_function(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    found = await actions(editor, "test_calc.py", 4)  # inside test_add
    assert command_of(found[FIX_TEST]) == ("microagent.fix", "test_calc.py::test_add")
    assert found[FIX_TEST].kind == types.CodeActionKind.QuickFix
    assert command_of(found[FIX_FILE]) == ("microagent.fix", "test_calc.py")
    assert found[FIX_FILE].kind == types.CodeActionKind.Source
    assert command_of(found[REVIEW]) == ("microagent.review", "test_calc.py:test_add")


async def test_in_a_test_method_the_node_id_names_the_class(lsp):
    editor = await lsp()
    editor.open("test_shelf.py")
    found = await actions(editor, "test_shelf.py", 5)
    assert command_of(found[FIX_TEST]) == ("microagent.fix", "test_shelf.py::TestShelf::test_restock")


async def test_in_a_test_file_outside_any_test(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    assert set(await actions(editor, "test_calc.py", 1)) == {FIX_FILE}


async def test_on_a_stub_that_tests_use(lsp):
    editor = await lsp()
    editor.open("shelf.py")
    found = await actions(editor, "shelf.py", 2)  # restock: raise NotImplementedError
    assert command_of(found[IMPLEMENT]) == ("microagent.implement", "shelf.py:restock")
    assert found[IMPLEMENT].kind == types.CodeActionKind.RefactorRewrite
    assert REVIEW in found


async def test_on_a_stub_with_docstring_examples_and_no_tests(lsp):
    editor = await lsp()
    editor.open("shelf.py")
    found = await actions(editor, "shelf.py", 12)  # double
    assert command_of(found[IMPLEMENT_EXAMPLES]) == ("microagent.implement", "shelf.py:double")
    assert IMPLEMENT not in found


async def test_on_an_ordinary_function_only_review(lsp):
    editor = await lsp()
    editor.open("shelf.py")
    found = await actions(editor, "shelf.py", 6)  # total
    assert set(found) == {REVIEW}
    assert command_of(found[REVIEW]) == ("microagent.review", "shelf.py:total")


async def test_outside_any_function_nothing(lsp):
    editor = await lsp()
    editor.open("calc.py")
    assert await actions(editor, "calc.py", 2) == {}


async def test_only_the_kinds_asked_for(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    found = await actions(editor, "test_calc.py", 4, only=[types.CodeActionKind.Source])
    assert set(found) == {FIX_FILE}


async def test_on_a_microagent_diagnostic_its_follow_up(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    failing = types.Diagnostic(
        range=types.Range(types.Position(4, 4), types.Position(4, 25)), message="test_add fails",
        source="microagent", code="failing-test", data={"kind": "failing-test",
                                                        "nodeId": "test_calc.py::test_add"})
    review = types.Diagnostic(
        range=types.Range(types.Position(4, 4), types.Position(4, 25)), message="hm",
        source="microagent", code="review", data={"kind": "review", "suggestion": None})
    result = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri("test_calc.py")),
        range=failing.range, context=types.CodeActionContext(diagnostics=[failing, review])))
    fix = [a for a in result if a.title == FIX_TEST]
    assert len(fix) == 1 and fix[0].is_preferred and list(fix[0].diagnostics) == [failing]
    again = next(a for a in result if a.title == "Review again with micro-agent")
    assert list(again.diagnostics) == [review]
    assert command_of(again) == ("microagent.review", "test_calc.py:test_add")


async def test_unsaved_text_counts(lsp, project: Path):
    """A stub the user just typed, used by a test they just typed, neither saved."""
    editor = await lsp()
    editor.open("calc.py")
    editor.open("test_calc.py")
    editor.type("calc.py", 6, 0, "\n\ndef sub(a, b):\n    ...\n")
    editor.type("test_calc.py", 9, 0, "\n\ndef test_sub():\n    from calc import sub\n"
                                      "    assert sub(3, 2) == 1\n")
    found = await actions(editor, "calc.py", 9)
    assert command_of(found[IMPLEMENT]) == ("microagent.implement", "calc.py:sub")
    assert "sub" not in (project / "calc.py").read_text()


async def test_resolve_gives_back_the_command(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    action = (await actions(editor, "test_calc.py", 4))[FIX_TEST]
    stripped = types.CodeAction(title=action.title, kind=action.kind, data=action.data)
    resolved = await editor.client.code_action_resolve_async(stripped)
    assert command_of(resolved) == ("microagent.fix", "test_calc.py::test_add")


async def test_code_actions_never_call_a_model(lsp, tmp_path: Path):
    editor = await lsp()
    for rel in ("calc.py", "test_calc.py", "shelf.py", "test_shelf.py"):
        editor.open(rel)
        for line in range(10):
            await actions(editor, rel, line)
    assert not (tmp_path / "calls.jsonl").exists()


async def test_a_test_file_written_outside_the_editor_counts(lsp, project: Path):
    """The server asks to watch test files; when one appears on disk (a checkout, a script),
    the stub it uses is offered for implementing from tests."""
    editor = await lsp()
    editor.open("shelf.py")
    assert IMPLEMENT_EXAMPLES in await actions(editor, "shelf.py", 12)
    await wait_for(lambda: any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                               for r in editor.registrations), what="a file watcher")
    (project / "test_double.py").write_text(
        "from shelf import double\n\n\ndef test_double():\n    assert double(2) == 4\n")
    editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=editor.uri("test_double.py"), type=types.FileChangeType.Created)]))
    found = {}
    for _ in range(100):
        found = await actions(editor, "shelf.py", 12)
        if IMPLEMENT in found:
            break
        await asyncio.sleep(0.05)
    assert command_of(found[IMPLEMENT]) == ("microagent.implement", "shelf.py:double")
