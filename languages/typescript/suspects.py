"""Where a TypeScript/JavaScript bug probably is, read from the failures and the code alone (no
tracer runs the tests, as Python's does in agents/localize.py): the lines a failing test's stack
passes through in the workspace's own code first, then the rest of the definitions holding them,
then the definitions the failing tests reach (those they call before their helpers), each line
in file order. The `mutations` proposer makes its one-edit mutants at these lines, likeliest
first; an assertion on a wrong value leaves no frame in the code, so the reach decides there.
"""

from __future__ import annotations

from typing import Sequence

from microagent.languages.typescript.context import FRAME, workspace_path, build_context
from microagent.languages.typescript.reach import Modules
from microagent.languages.typescript.test_files import is_test_file
from microagent.sandbox.types import TestCase, WorkspaceSnapshot

ON_STACK = 1.0  # a line a failing test's stack passes through
AROUND_STACK = 0.8  # another line of the definition holding one
REACHED = 0.6  # a line of the first definition the failing tests reach; the next ones less
FADE = 0.9  # each further definition's lines: times this
LINES = 400  # the most lines returned


def suspects(snapshot: WorkspaceSnapshot, failing: Sequence[TestCase]) -> list[tuple[str, int, float]]:
    """(path, 1-based line, score) for the workspace's non-test code, most suspicious first."""
    workspace = Modules(snapshot.files, snapshot.text)
    scores: dict[tuple[str, int], float] = {}

    def mark(path: str, first: int, last: int, score: float) -> None:
        for line in range(first, last + 1):
            if score > scores.get((path, line), 0.0):
                scores[(path, line)] = score

    for case in failing:
        for where, line in FRAME.findall(case.traceback + "\n" + case.message):
            path = workspace_path(workspace, where)
            if path is None or is_test_file(path):
                continue
            definition = _holding(workspace, path, int(line))
            if definition is not None:
                mark(path, *definition, AROUND_STACK)
            mark(path, int(line), int(line), ON_STACK)
    context = build_context(snapshot, list(failing), lambda text: 0, budget=0)
    score = REACHED
    for piece in context.code:
        definitions = workspace.definitions(piece.path)
        for name in piece.names or list(definitions):
            if name in definitions:
                node = definitions[name].node
                mark(piece.path, node.start_point.row + 1, node.end_point.row + 1, score)
                score *= FADE
    blank = {(p, n) for p, n in scores if not _code_line(snapshot.text(p), n)}
    ranked = sorted((k for k in scores if k not in blank), key=lambda k: -scores[k])
    return [(path, line, round(scores[(path, line)], 4)) for path, line in ranked[:LINES]]


def _holding(workspace: Modules, path: str, line: int) -> tuple[int, int] | None:
    """The 1-based first and last lines of the top-level definition holding `line`."""
    for definition in workspace.definitions(path).values():
        node = definition.node
        if node.start_point.row + 1 <= line <= node.end_point.row + 1:
            return node.start_point.row + 1, node.end_point.row + 1
    return None


def _code_line(text: str, line: int) -> bool:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    stripped = lines[line - 1].strip()
    return bool(stripped) and not stripped.startswith(("//", "/*", "*", "}")) and stripped != "{"
