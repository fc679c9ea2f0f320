"""Maps a run's reviewer comments and still-failing tests to LSP diagnostics, and keeps them
honest while the user types: a diagnostic whose line changed is dropped, the others move along.

Pure: no server. Every diagnostic carries the text of its line in `data`, so a change can be
judged even when the client sends the whole document.
"""

from __future__ import annotations

import re
from typing import Iterable

from lsprotocol import types

from microagent.agents.types import ReviewComment
from microagent.languages.registry import LANGUAGES
from microagent.sandbox.types import TestCase
from microagent.server.lsp.edits import lines_of, units

SOURCE = "microagent"
CODE_REVIEW = "review"
CODE_FAILING_TEST = "failing-test"
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
# A traceback's frame in a source file of a language served: pytest's `test_calc.py:5: in
# test_add`, a JavaScript stack's `at /work/src/sum.test.ts:5:11` or `❯ src/sum.test.ts:5:11`.
_SUFFIXES = sorted({s for lang in LANGUAGES.values() for s in lang.suffixes}, key=len, reverse=True)
_FRAME = re.compile(r"([^\s:()'\"]+(?:" + "|".join(map(re.escape, _SUFFIXES)) + r")):(\d+)\b")


def review_diagnostic(comment: ReviewComment, source_text: str,
                      encoding: str = types.PositionEncodingKind.Utf16) -> types.Diagnostic:
    """A reviewer comment on its line; the suggestion travels in `data`."""
    return _on_line(
        source_text, comment.line - 1, comment.message, _SEVERITY[comment.severity], CODE_REVIEW,
        {"kind": CODE_REVIEW, "suggestion": comment.suggestion, "file": comment.file}, encoding)


def failing_test_diagnostic(case: TestCase, source_text: str,
                            encoding: str = types.PositionEncodingKind.Utf16) -> types.Diagnostic:
    """A test that still fails, at its assertion line (the def line when the traceback has none)."""
    name = case.node_id.split("::", 1)[-1]
    first = (case.message or "").strip().splitlines()
    message = f"{name} fails" + (f": {first[0]}" if first else "")
    return _on_line(source_text, assertion_line(case) - 1, message, types.DiagnosticSeverity.Error,
                    CODE_FAILING_TEST, {"kind": CODE_FAILING_TEST, "nodeId": case.node_id}, encoding)


def assertion_line(case: TestCase) -> int:
    """The 1-based line in the test's own file where it failed: its deepest frame there (a
    frame may name it relative or, from a JavaScript stack, by the sandbox's absolute path)."""
    path = case.file or case.node_id.split("::", 1)[0]
    frames = [int(line) for file, line in _FRAME.findall(case.traceback)
              if file.lstrip("./") == path or file.endswith("/" + path)]
    return frames[-1] if frames else (case.line or 1)


def case_path(case: TestCase) -> str:
    return case.file or case.node_id.split("::", 1)[0]


def after_change(diagnostics: Iterable[types.Diagnostic],
                 changes: Iterable[types.TextDocumentContentChangeEvent],
                 new_text: str) -> list[types.Diagnostic]:
    """The diagnostics still true after `changes`: below an edit they move by the lines it added
    or removed; any whose line no longer holds the text it was published on is dropped."""
    lines = {id(d): d.range.start.line for d in diagnostics}
    kept = list(diagnostics)
    for change in changes:
        if not isinstance(change, types.TextDocumentContentChangePartial):
            continue  # the whole document: only the line-text check below can judge
        start, end = change.range.start.line, change.range.end.line
        delta = change.text.count("\n") + change.text.count("\r") - change.text.count("\r\n") \
            - (end - start)
        for d in kept:
            if lines[id(d)] > end:
                lines[id(d)] += delta
    current = lines_of(new_text)
    result = []
    for d in kept:
        line = lines[id(d)]
        expected = (d.data or {}).get("lineText") if isinstance(d.data, dict) else None
        text = current[line].rstrip("\r\n") if 0 <= line < len(current) else None
        if text is None or text != expected:
            continue
        if line != d.range.start.line:
            d = _moved(d, line)
        result.append(d)
    return result


def _on_line(source_text: str, line: int, message: str, severity: types.DiagnosticSeverity,
             code: str, data: dict, encoding: str) -> types.Diagnostic:
    lines = lines_of(source_text)
    line = min(max(line, 0), max(len(lines) - 1, 0))
    text = lines[line].rstrip("\r\n") if lines else ""
    indent = len(text) - len(text.lstrip())
    start = units(text[:indent], encoding)
    end = units(text, encoding)
    return types.Diagnostic(
        range=types.Range(types.Position(line, start), types.Position(line, max(end, start))),
        message=message, severity=severity, code=code, source=SOURCE,
        data={**data, "lineText": text})


def _moved(d: types.Diagnostic, line: int) -> types.Diagnostic:
    r = d.range
    return types.Diagnostic(
        range=types.Range(types.Position(line, r.start.character), types.Position(line, r.end.character)),
        message=d.message, severity=d.severity, code=d.code, source=d.source, data=d.data)
