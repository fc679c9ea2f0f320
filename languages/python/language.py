"""Python as a `languages.language.Language`: pytest under its witness, the outline from one parse."""

from __future__ import annotations

from typing import Callable, Sequence

from microagent.languages.language import (IMPORT_GRAPH, LINES, MUTATIONS, PROBES, Context,
                                           Outline)
from microagent.languages.python import chat_files, cheat_screen, mutations
from microagent.languages.python.coding import CODING
from microagent.languages.python.dependency_imports import screen_dependencies
from microagent.languages.python.context import build_context
from microagent.languages.python.outline import outline
from microagent.languages.python.parsed import TEST_FILE_GLOBS, is_test_file
from microagent.languages.python.pytest_runner import PytestRunner
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import TestCase, WorkspaceSnapshot

# Short tracebacks: the Tester trims them further, and small models read less.
RUNNER = PytestRunner(extra_args=("--tb=short",))


class PythonCheats:
    """The cheat screen and the imports of declared distributions dropped or guarded."""

    def screen(self, before: dict[str, str], after: dict[str, str],
               declared: set[str] | frozenset[str] = frozenset()) -> list:
        return cheat_screen.screen(before, after) + screen_dependencies(before, after, set(declared))

    def refusal(self, findings: list) -> str:
        return cheat_screen.refusal(findings)


class PythonMutations:
    """Python's mutants; its lines are ranked by tracing the tests (agents/localize.py)."""

    def mutants(self, path: str, source: str, line: int, *, check: bool = True) -> list:
        return mutations.mutants(source, line, check=check)

    def parses(self, path: str, source: str) -> bool:
        return mutations.parses(source)

    def suspects(self, snapshot: WorkspaceSnapshot, failing: Sequence[TestCase]) -> None:
        return None


class Python:
    name = "python"
    suffixes = (".py",)
    test_file_globs = TEST_FILE_GLOBS
    chat = chat_files
    coding = CODING
    cheats = PythonCheats()
    features = frozenset({MUTATIONS, LINES, PROBES, IMPORT_GRAPH})
    sandbox_kind = "python"
    type_gate = None
    mutations = PythonMutations()
    describe_failure = None  # the Tester's own trimming of pytest's tracebacks

    def is_test_file(self, path: str) -> bool:
        return path.endswith(self.suffixes) and is_test_file(path)

    def outline(self, path: str, text: str) -> Outline:
        return outline(path, text)

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None,
                    modules: str | None = None) -> TestRunner:
        return RUNNER  # pytest, whatever the workspace

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        return build_context(snapshot, failing, count_tokens, suspects=suspects)


PYTHON = Python()
