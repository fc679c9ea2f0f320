"""What differs from one programming language to another, as one protocol: which files are
tests, a document's outline (code actions), the test runner (the sandbox), the Coder's context
(the loop), how the Coder reads and applies an answer, the cheat screen, and how a chat's code
blocks become a workspace (the HTTP API). The front doors and the loop ask a `Language` (from
`languages.registry`), never a language's own package (import-linter holds that line). What
only some languages have (mutants, the line round, the Tester's probes, import-graph test
selection, a type check) is a capability the loop skips, saying so, where a language lacks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Protocol, Sequence

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


@dataclass(frozen=True)
class CodeBlock:
    """A block of code in a model's reply."""

    path: str | None  # the file the reply says this code belongs to, if it says
    code: str
    complete: bool  # False when the reply stopped before the block was closed


@dataclass(frozen=True)
class Spliced:
    content: str  # the file with the answer's definitions in place
    error: str | None = None  # why the answer could not be spliced (then `content` is unusable)


class Coding(Protocol):
    """What the Coder needs of a language: the words of its prompts, how it reads a reply's code
    blocks and the files they name, how it splices definitions into a file and checks the result
    parses. Pure text: it never runs anything."""

    fence: str  # the fence's info string in prompts: "python"
    word: str  # the language as the prompts name it: "Python"
    comment: str  # how a line comment starts: a block's `# file: <path>` line
    prompts: str  # the role of its prompt files: "coder" (coder_system.txt...), "coder_ts"
    edit_prompts: str  # the same for SEARCH/REPLACE answers: "coder_edits", "coder_edits_ts"
    edits: Literal["auto", "always", "never"] | None  # None: as `loop.edits` says

    def fence_for(self, path: str) -> str:
        """The fence's info string for a file of the prompt ("javascript" for a .js file)."""
        ...

    def code_blocks(self, reply: str) -> list[CodeBlock]:
        """The reply's code blocks in this language, in order."""
        ...

    def named_path(self, line: str) -> str | None:
        """The file a line of a reply names on its own (`# file: a.py`), or None."""
        ...

    def is_test_file(self, path: str) -> bool: ...

    def splice(self, path: str, source: str, code: str) -> Spliced:
        """`source` (the file at `path`) with the definitions of `code` in place of its own,
        new ones added."""
        ...

    def parse_error(self, path: str, text: str) -> str | None:
        """Why `text` does not parse ("has a syntax error at line 3"), or None."""
        ...

    def defined_names(self, path: str, code: str) -> set[str]:
        """The top-level names `code` defines."""
        ...

    def same_code(self, path: str, new: str, old: str) -> bool:
        """Whether two versions differ only in comments, docstrings and layout."""
        ...

    def focused(self, path: str, source: str, names: list[str]) -> str:
        """The view of `names` (and what they need) in this version of the file."""
        ...


class CheatScreen(Protocol):
    """What a candidate adds that only a cheat needs; refused unrun (agents/judge.py)."""

    def screen(self, before: dict[str, str], after: dict[str, str],
               declared: set[str] | frozenset[str] = frozenset()) -> list:
        """The findings (each printable) of what `after` adds relative to `before`; `declared`,
        the distributions the project declares (normalized names)."""
        ...

    def refusal(self, findings: list) -> str:
        """The findings as the clause of a sentence: "refused: it imports the test runner"."""
        ...


class TypeGate(Protocol):
    """A static check a candidate must pass before its tests run (TypeScript's tsc)."""

    def applies(self, snapshot: WorkspaceSnapshot) -> bool:
        """Whether the workspace is checked at all (TypeScript: it has a tsconfig.json)."""
        ...

    def problem(self, before: WorkspaceSnapshot, after: WorkspaceSnapshot,
                changed: Sequence[str]) -> str | None:
        """Feedback for the Coder when `after` adds errors to the `changed` files; None when
        it passes or cannot be checked. Blocking."""
        ...


@dataclass(frozen=True)
class Mutant:
    """A one-edit change of a line: the whole file after it."""

    line: int  # 1-based line of the change
    kind: str  # the operator, for a reader of the transcript ("< -> <=")
    source: str
    weight: float = 0.5  # how often this kind of change is the fix, roughly (0..1)

    def describe(self, path: str) -> str:
        return f"{path}:{self.line} {self.kind}"


class Mutations(Protocol):
    """The `mutations` proposer's part of a language: one-edit mutants of a line, and where a
    language has no tracer to rank the lines by running the tests, the lines to make them at."""

    def mutants(self, path: str, source: str, line: int, *, check: bool = True) -> list[Mutant]:
        """The mutants of `line`, likeliest kinds first; with `check`, only those that parse."""
        ...

    def parses(self, path: str, source: str) -> bool: ...

    def suspects(self, snapshot: WorkspaceSnapshot,
                 failing: Sequence[TestCase]) -> list[tuple[str, int, float]] | None:
        """(path, 1-based line, score), the most suspicious first, from the failures and the
        code alone; None: the loop traces the tests in the sandbox (agents/localize.py)."""
        ...


# The optional capabilities a language may have (Language.features). The loop skips what a
# language lacks and says so in the transcript.
MUTATIONS = "mutations"  # one-edit mutants of localized lines (agents/localize.py)
LINES = "lines"  # the line round (agents/line_repair.py)
PROBES = "probes"  # the Tester's inputs run on a function (agents/probes.py)
IMPORT_GRAPH = "import_graph"  # the test files importing a changed module run first
ANY_FEATURE = frozenset({MUTATIONS, LINES, PROBES, IMPORT_GRAPH})


class Language(Protocol):
    name: str  # "python": what settings and messages call it
    suffixes: tuple[str, ...]  # of its source files, tests included (".py",)
    test_file_globs: tuple[str, ...]  # its test files, as LSP file watchers take them
    chat: ChatFiles
    coding: Coding
    cheats: CheatScreen
    features: frozenset[str]  # of ANY_FEATURE, what it has
    sandbox_kind: str  # what its tests run on: "python", "node" (agents/runtime.py)
    type_gate: TypeGate | None
    mutations: Mutations | None  # with the MUTATIONS feature
    # A failing test said for the Coder in a few lines; None: the Tester's own (pytest's) way.
    describe_failure: Callable[[TestCase], str] | None

    def is_test_file(self, path: str) -> bool:
        """Whether `path` (relative, with /) holds tests or test support by its name."""
        ...

    def outline(self, path: str, text: str) -> Outline:
        """The document's functions; pure, from `text` only."""
        ...

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None,
                    modules: str | None = None) -> TestRunner:
        """The runner the sandbox runs this language's tests with in the workspace `snapshot`.
        A language with one runner (Python's pytest) needs no workspace; one that picks its
        runner from the workspace (vitest or jest) raises ValueError, saying what to add, where
        it cannot pick one or is given no workspace. `modules`: where the runner's packages are
        in the sandbox (Node's node_modules); None: the workspace's own."""
        ...

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        """What the Coder is shown: the failing tests and the code they reach, within a token
        budget; the functions holding `suspects` (path, line: the most suspicious first) first."""
        ...
