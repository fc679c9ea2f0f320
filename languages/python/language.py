"""Python as a `languages.language.Language`: pytest under its witness, the outline from one parse."""

from __future__ import annotations

from typing import Callable, Sequence

from microagent.languages.language import Context, Outline
from microagent.languages.python import chat_files
from microagent.languages.python.context import build_context
from microagent.languages.python.outline import outline
from microagent.languages.python.parsed import TEST_FILE_GLOBS, is_test_file
from microagent.languages.python.pytest_runner import PytestRunner
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import TestCase, WorkspaceSnapshot

# Short tracebacks: the Tester trims them further, and small models read less.
RUNNER = PytestRunner(extra_args=("--tb=short",))


class Python:
    name = "python"
    suffixes = (".py",)
    test_file_globs = TEST_FILE_GLOBS
    chat = chat_files

    def is_test_file(self, path: str) -> bool:
        return path.endswith(self.suffixes) and is_test_file(path)

    def outline(self, path: str, text: str) -> Outline:
        return outline(path, text)

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None) -> TestRunner:
        return RUNNER  # pytest, whatever the workspace

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        return build_context(snapshot, failing, count_tokens, suspects=suspects)


PYTHON = Python()
