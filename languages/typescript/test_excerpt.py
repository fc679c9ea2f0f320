"""A failing test file too long for the Coder's prompt, cut to what its failures point at: its
imports, then each test the failures' stacks stop in (the whole `it(...)`/`test(...)` call, or
the lines around the stack's line where that call alone is too long), in file order, with a
marker where lines are left out. A file whose failing tests are built at run time (tables,
loops) cannot be cut by test name, and shown whole it can fill the model's context by itself.
"""

from __future__ import annotations

from typing import Callable, Sequence

import tree_sitter

from microagent.languages.typescript.parsed import Parsed
from microagent.languages.typescript.suites import call_kind

GAP = "// … (lines left out)"
AROUND = 6  # lines shown each side of a failure's line when its test is too long to show


def excerpt(parsed: Parsed, lines: Sequence[int], count_tokens: Callable[[str], int],
            limit: int) -> str:
    """The file cut to at most `limit` tokens around `lines` (1-based, most relevant first);
    with no line known, its head."""
    text = parsed.source.decode("utf-8", "replace").splitlines()
    head = [s for s in parsed.root.named_children if s.type == "import_statement"
            or (s.type in ("lexical_declaration", "variable_declaration")
                and "require(" in parsed.text(s))]
    spans = [(s.start_point.row, s.end_point.row) for s in head]
    spent = sum(count_tokens(_joined(text, span)) for span in spans)
    for line in dict.fromkeys(lines):
        row = line - 1
        if not 0 <= row < len(text):
            continue
        for span in (_test_span(parsed, row), (max(0, row - AROUND), min(len(text) - 1, row + AROUND))):
            if span is None or any(a <= span[0] and span[1] <= b for a, b in spans):
                continue
            cost = count_tokens(_joined(text, span))
            if spent + cost <= limit:
                spans.append(span)
                spent += cost
                break
    if len(spans) == len(head):  # nothing the failures name fitted: the file's head
        spans.append((0, _rows_within(text, count_tokens, max(limit - spent, 0))))
    return _assembled(text, spans)


def _test_span(parsed: Parsed, row: int) -> tuple[int, int] | None:
    """The rows of the innermost test call holding `row`."""
    node: tree_sitter.Node | None = parsed.root.descendant_for_point_range((row, 0), (row, 0))
    while node is not None:
        if node.type == "call_expression" and \
                call_kind(parsed, node.child_by_field_name("function")) == "test":
            return node.start_point.row, node.end_point.row
        node = node.parent
    return None


def _rows_within(text: list[str], count_tokens: Callable[[str], int], limit: int) -> int:
    spent, last = 0, -1
    for row, line in enumerate(text):
        spent += count_tokens(line + "\n")
        if spent > limit:
            break
        last = row
    return max(last, 0)


def _joined(text: list[str], span: tuple[int, int]) -> str:
    return "\n".join(text[span[0]:span[1] + 1]) + "\n"


def _assembled(text: list[str], spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    for k, (start, end) in enumerate(merged):
        if start > (merged[k - 1][1] + 1 if k else 0):
            parts.append(GAP + "\n")
        parts.append(_joined(text, (start, end)))
    if merged and merged[-1][1] < len(text) - 1:
        parts.append(GAP + "\n")
    return "".join(parts)
