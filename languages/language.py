"""What differs from one programming language to another, as one protocol: which files are
tests, a document's outline (code actions), the test runner (the sandbox), the Coder's context
(the loop) and how a chat's code blocks become a workspace (the HTTP API). The front doors and
the loop ask a `Language` (from `languages.registry`), never a language's own package
(import-linter holds that line). The roles and proposers in agents/ still use the Python
toolkit directly: each becomes part of this protocol, or a capability a language may lack,
when a second language needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import TestCase, WorkspaceSnapshot


@dataclass(frozen=True)
class Function:
    """A function or method of a document, as code actions see it."""

    name: str
    node_path: str  # "Class::method" or "name": the test's part of a Target
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


@dataclass
class Piece:
    """Part of a file shown to the Coder."""

    path: str
    text: str
    names: list[str] = field(default_factory=list)  # definitions shown; empty = whole file


@dataclass
class Context:
    """What the Coder is shown: the failing tests and the code they reach."""

    tests: list[Piece]
    code: list[Piece]
    target_files: list[str]  # files the Coder may change, most likely first
    wanted_names: list[str]  # names the tests use from workspace modules
    missing: dict[str, str] = field(default_factory=dict)  # name -> module path, absent or stub


class ChatFiles(Protocol):
    """How a workspace is made from the code blocks a person pastes into a chat (the HTTP API)."""

    default_module: str  # where unnamed code goes when the tests name no module
    default_tests: str  # where unnamed test blocks go
    fences: frozenset[str]  # the info strings of a fence in this language

    def is_code(self, text: str) -> bool:
        """A whole message that is code in this language, not a word or a sentence."""
        ...

    def looks_like_code(self, text: str) -> bool:
        """An unlabelled block that is code rather than output or prose."""
        ...

    def is_test_code(self, code: str) -> bool:
        """A block that holds tests and nothing else to test."""
        ...

    def holds_tests(self, path: str) -> bool: ...

    def has_examples(self, source: str) -> bool:
        """Documented examples that could stand in for tests."""
        ...

    def missing_modules(self, workspace: dict[str, str], test_files: list[str]) -> list[str]:
        """The files the tests import that the workspace lacks."""
        ...

    def module_for_tests(self, workspace: dict[str, str], test_files: list[str]) -> str:
        """The file the tests exercise."""
        ...

    def needs_writing(self, workspace: dict[str, str], module: str, test_files: list[str]) -> bool:
        """Whether code must be written (missing, stubbed) rather than repaired."""
        ...


class Language(Protocol):
    name: str  # "python": what settings and messages call it
    suffixes: tuple[str, ...]  # of its source files, tests included (".py",)
    test_file_globs: tuple[str, ...]  # its test files, as LSP file watchers take them
    chat: ChatFiles

    def is_test_file(self, path: str) -> bool:
        """Whether `path` (relative, with /) holds tests or test support by its name."""
        ...

    def outline(self, path: str, text: str) -> Outline:
        """The document's functions; pure, from `text` only."""
        ...

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None) -> TestRunner:
        """The runner the sandbox runs this language's tests with in the workspace `snapshot`.
        A language with one runner (Python's pytest) needs no workspace; one that picks its
        runner from the workspace (vitest or jest) raises ValueError, saying what to add, where
        it cannot pick one or is given no workspace."""
        ...

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        """What the Coder is shown: the failing tests and the code they reach, within a token
        budget; the functions holding `suspects` (path, line: the most suspicious first) first."""
        ...
