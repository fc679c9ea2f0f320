"""TypeScript and JavaScript as a `languages.language.Language`: vitest or jest (the one the
workspace names) under our entry script, the outline and the Coder's context from tree-sitter
parses, the Coder's answers read and spliced by tree-sitter (coding.py), its cheat screen and,
where the project has a tsconfig.json, tsc's verdict on a candidate (type_gate.py), and one-edit
mutants (mutations.py) at the lines the failures and the code point to (suspects.py). It lacks
the line round, the Tester's probes and import-graph selection, which the loop skips.
"""

from __future__ import annotations

from typing import Callable, Sequence

from microagent.languages.language import MUTATIONS, Context, Outline
from microagent.languages.typescript import chat_files, cheat_screen, mutations, suspects
from microagent.languages.typescript.coding import CODING
from microagent.languages.typescript.context import build_context
from microagent.languages.typescript.detect import NoTestRunner, detect_runner
from microagent.languages.typescript.node_runner import NodeTestRunner
from microagent.languages.typescript.failures import describe_failure
from microagent.languages.typescript.outline import outline
from microagent.languages.typescript.parsed import SUFFIXES, grammar_for
from microagent.languages.typescript.test_files import GLOBS, is_test_file
from microagent.languages.typescript.type_gate import TscGate
from microagent.sandbox.types import TestCase, WorkspaceSnapshot


class TypeScriptCheats:
    """The TypeScript screen (cheat_screen.py); the project's declared packages are the lockfile's
    business, not a candidate's."""

    def screen(self, before: dict[str, str], after: dict[str, str],
               declared: set[str] | frozenset[str] = frozenset()) -> list:
        return cheat_screen.screen(before, after)

    def refusal(self, findings: list) -> str:
        return cheat_screen.refusal(findings)


class TypeScriptMutations:
    """Mutants of a line on its syntax tree; the lines from the failures' stacks and the code
    the failing tests reach, no tracer."""

    def mutants(self, path: str, source: str, line: int, *, check: bool = True) -> list:
        return mutations.mutants(path, source, line, check=check)

    def parses(self, path: str, source: str) -> bool:
        return mutations.parses(path, source)

    def suspects(self, snapshot: WorkspaceSnapshot,
                 failing: Sequence[TestCase]) -> list[tuple[str, int, float]]:
        return suspects.suspects(snapshot, failing)


class TypeScript:
    """`modules`: the node_modules directory holding vitest and jest for workspaces without
    their own (NodeTestRunner.modules); None runs the workspace's own. `node`: the Node.js the
    sandbox runs."""

    name = "typescript"
    suffixes = SUFFIXES
    test_file_globs = GLOBS
    chat = chat_files
    coding = CODING
    cheats = TypeScriptCheats()
    features: frozenset[str] = frozenset({MUTATIONS})
    mutations = TypeScriptMutations()
    sandbox_kind = "node"

    def __init__(self, modules: str | None = None, node: str = "node"):
        self.modules = modules
        self.node = node
        self.type_gate = TscGate(node=node)
        self.describe_failure = describe_failure

    def is_test_file(self, path: str) -> bool:
        return is_test_file(path)

    def outline(self, path: str, text: str) -> Outline:
        if grammar_for(path) is None:  # no grammar reads it: nothing to outline
            return Outline(path, is_test_file=False, parsed=False)
        return outline(path, text)

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None,
                    modules: str | None = None) -> NodeTestRunner:
        """The runner package.json or a config file names (detect.py); NoTestRunner, saying
        what to add, where the workspace names neither vitest nor jest. `modules` overrides
        the node_modules the runner loads from (the Node sandbox's NODE_MODULES)."""
        if snapshot is None:
            raise NoTestRunner("TypeScript/JavaScript tests run under vitest or jest, whichever "
                               "the workspace's package.json names: the runner is chosen from "
                               "the workspace's files")
        top = {p: snapshot.text(p) for p in snapshot.files if "/" not in p}  # what detect reads
        return detect_runner(top).test_runner(modules or self.modules, self.node)

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        return build_context(snapshot, failing, count_tokens, suspects=suspects)


TYPESCRIPT = TypeScript()
