"""What differs from one programming language to another, as one protocol: which files are
tests, a document's outline, the test runner. The loop, the sandbox and the front doors ask a
`Language` (from `languages.registry`); none of them reaches into a language's own package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from microagent.sandbox.test_runner import TestRunner


@dataclass(frozen=True)
class Function:
    name: str
    node_path: str  # "Class::method" or "name": the tail of a pytest node id
    top_level: str  # the top-level definition that holds it
    start: int  # 0-based first line, decorators included
    end: int  # 0-based last line
    is_test: bool
    is_stub: bool
    has_examples: bool  # its docstring shows `>>>` examples


@dataclass(frozen=True)
class Outline:
    path: str  # relative to the workspace folder
    is_test_file: bool
    parsed: bool
    functions: tuple[Function, ...] = ()
    names_used: frozenset[str] = field(default_factory=frozenset)  # for test files

    def function_at(self, line: int) -> Function | None:
        """The innermost function whose lines include `line` (0-based)."""
        best = None
        for f in self.functions:
            if f.start <= line <= f.end and (best is None or f.start >= best.start):
                best = f
        return best


class Language(Protocol):
    name: str  # "python": what settings and messages call it
    fence: str  # the info string of a fenced code block in this language ("python")
    suffixes: tuple[str, ...]  # of its source files, tests included (".py",)
    test_file_globs: tuple[str, ...]  # its test files, as LSP file watchers take them

    def is_test_file(self, path: str) -> bool:
        """Whether `path` (relative, with /) holds tests or test support by its name."""
        ...

    def outline(self, path: str, text: str) -> Outline:
        """The document's functions; pure, from `text` only."""
        ...

    def test_runner(self) -> TestRunner:
        """The runner the sandbox runs this language's tests with."""
        ...
