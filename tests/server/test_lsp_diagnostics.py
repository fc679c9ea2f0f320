"""Reviewer comments and still-failing tests as diagnostics: published on the files they
concern, and cleared when a new run starts or when the line they point at changes."""

from __future__ import annotations

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import ended, reply, review, run_command

COMMENTS = review(
    {"file": "shelf.py", "line": 7, "severity": "error", "message": "total of an empty shelf?",
     "suggestion": "return 0 for {}"},
    {"file": "shelf.py", "line": 6, "severity": "info", "message": "add a docstring"})


async def test_review_comments_are_published_and_cleared(lsp):
    editor = await lsp(replies=[COMMENTS, review()])
    editor.open("shelf.py")
    uri = editor.uri("shelf.py")
    started = await run_command(editor, "microagent.review", "shelf.py", "shelf.py:total")
    await wait_for(lambda: ended(editor, started["token"]), what="review end")
    diagnostics = await wait_for(lambda: editor.client.diagnostics.get(uri), what="diagnostics")
    by_line = {d.range.start.line: d for d in diagnostics}
    assert set(by_line) == {5, 6}
    error = by_line[6]
    assert (error.severity, error.source, error.code) == (
        types.DiagnosticSeverity.Error, "microagent", "review")
    assert error.data["suggestion"] == "return 0 for {}"
    assert by_line[5].severity == types.DiagnosticSeverity.Information

    editor.type("shelf.py", 0, 0, "# header\n")  # a line above: both move down
    await wait_for(lambda: editor.lines_with_diagnostics("shelf.py")
                   == [(6, "add a docstring"), (7, "total of an empty shelf?")], what="moved")
    editor.type("shelf.py", 7, 4, "x = 1; ")  # on the error's line: it goes
    await wait_for(lambda: editor.lines_with_diagnostics("shelf.py") == [(6, "add a docstring")],
                   what="cleared on change")

    again = await run_command(editor, "microagent.review", "shelf.py", "shelf.py:total")
    await wait_for(lambda: list(editor.client.diagnostics.get(uri)) == [], what="cleared on a new run")
    await wait_for(lambda: ended(editor, again["token"]), what="second review end")


async def test_tests_still_failing_are_published_at_their_assertion(lsp):
    editor = await lsp(replies=[reply("coder", "I cannot fix this.", repeat=True)],
                       settings={"loop": {"maxIterations": 1}})
    editor.open("test_calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="run end")
    diagnostics = await wait_for(lambda: editor.client.diagnostics.get(editor.uri("test_calc.py")),
                                 what="failing test diagnostics")
    [failing] = diagnostics
    assert failing.range.start.line == 4  # assert add(2, 3) == 5
    assert failing.code == "failing-test" and failing.data["nodeId"] == "test_calc.py::test_add"
    assert failing.message.startswith("test_add fails")
