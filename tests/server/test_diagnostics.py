"""Diagnostics from a run: on the right line, with the right severity and follow-up data, and
dropped or moved as the user types."""

from __future__ import annotations

from lsprotocol import types

from microagent.agents.types import ReviewComment
from microagent.sandbox.types import Outcome, TestCase
from microagent.server.lsp.diagnostics import (CODE_FAILING_TEST, CODE_REVIEW, SOURCE, after_change,
                                failing_test_diagnostic, review_diagnostic)

CALC = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    x = 1\n    assert add(2, 3) == 5\n"


def test_a_review_comment_becomes_a_diagnostic_on_its_line():
    comment = ReviewComment(file="calc.py", line=2, severity="error", message="wrong operator",
                            suggestion="use +")
    d = review_diagnostic(comment, CALC)
    assert d.range == types.Range(types.Position(1, 4), types.Position(1, 16))
    assert (d.severity, d.source, d.code) == (types.DiagnosticSeverity.Error, SOURCE, CODE_REVIEW)
    assert d.message == "wrong operator"
    assert d.data["suggestion"] == "use +"


def test_severities_map_to_lsp_severities():
    got = {s: review_diagnostic(ReviewComment(file="calc.py", severity=s, message="m"), CALC).severity
           for s in ("info", "warning", "error")}
    assert got == {"info": types.DiagnosticSeverity.Information,
                   "warning": types.DiagnosticSeverity.Warning,
                   "error": types.DiagnosticSeverity.Error}


def test_a_comment_past_the_end_lands_on_the_last_line():
    d = review_diagnostic(ReviewComment(file="calc.py", line=99, message="m"), CALC)
    assert d.range.start.line == 5


def test_a_failing_test_is_shown_at_its_assertion_line():
    case = TestCase(node_id="test_calc.py::test_add", outcome=Outcome.failed, file="test_calc.py",
                    line=4, message="assert -1 == 5",
                    traceback="test_calc.py:6: in test_add\n    assert add(2, 3) == 5\nE   assert -1 == 5")
    d = failing_test_diagnostic(case, TESTS)
    assert d.range.start.line == 5
    assert d.code == CODE_FAILING_TEST and d.data["nodeId"] == "test_calc.py::test_add"
    assert d.message == "test_add fails: assert -1 == 5"


def test_a_failing_vitest_test_is_shown_at_its_assertion_line():
    """A JavaScript stack names the test file by the sandbox's absolute path; the frame inside
    the library (node_modules) and the one in another file with the same name do not count."""
    tests = ('import { sum } from "./sum";\n\ndescribe("sum", () => {\n  it("adds", () => {\n'
             "    const x = 1;\n    expect(sum(1, 2)).toBe(3);\n  });\n});\n")
    stack = ("AssertionError: expected -1 to be 3\n"
             "    at /work/node_modules/@vitest/expect/dist/index.js:1410:7\n"
             "    at /work/lib/sum.test.ts:2:1\n"
             "    at /work/src/sum.test.ts:6:23\n"
             "    at file:///work/node_modules/@vitest/runner/dist/index.js:146:14")
    case = TestCase(node_id="src/sum.test.ts::sum > adds", outcome=Outcome.failed,
                    file="src/sum.test.ts", line=4, message="expected -1 to be 3", traceback=stack)
    d = failing_test_diagnostic(case, tests)
    assert d.range.start.line == 5
    assert d.message == "sum > adds fails: expected -1 to be 3"
    assert d.data["nodeId"] == "src/sum.test.ts::sum > adds"


def test_without_a_traceback_the_test_is_shown_at_its_def():
    case = TestCase(node_id="test_calc.py::test_add", outcome=Outcome.error, file="test_calc.py", line=4)
    assert failing_test_diagnostic(case, TESTS).range.start.line == 3


def edit(line: int, char: int, text: str, end: tuple[int, int] | None = None):
    end = end or (line, char)
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(line, char), types.Position(*end)), text=text)


def test_typing_on_the_line_drops_its_diagnostic():
    d = review_diagnostic(ReviewComment(file="calc.py", line=2, message="m"), CALC)
    new = CALC.replace("a - b", "a - b  # hm")
    assert after_change([d], [edit(1, 16, "  # hm")], new) == []


def test_lines_added_above_move_the_diagnostic_down():
    d = review_diagnostic(ReviewComment(file="calc.py", line=6, message="m"), CALC)
    new = "import os\n\n" + CALC
    [moved] = after_change([d], [edit(0, 0, "import os\n\n")], new)
    assert moved.range.start.line == 7 and moved.message == "m"


def test_a_newline_typed_at_the_end_of_the_line_keeps_it():
    d = review_diagnostic(ReviewComment(file="calc.py", line=2, message="m"), CALC)
    new = CALC.replace("a - b\n", "a - b\n    \n", 1)
    [kept] = after_change([d], [edit(1, 16, "\n    ")], new)
    assert kept.range.start.line == 1


def test_a_whole_document_change_keeps_only_unchanged_lines():
    keep = review_diagnostic(ReviewComment(file="calc.py", line=6, message="keep"), CALC)
    drop = review_diagnostic(ReviewComment(file="calc.py", line=2, message="drop"), CALC)
    new = CALC.replace("a - b", "a + b")
    kept = after_change([keep, drop], [types.TextDocumentContentChangeWholeDocument(text=new)], new)
    assert [d.message for d in kept] == ["keep"]
