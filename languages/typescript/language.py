"""TypeScript and JavaScript as a `languages.language.Language`: vitest or jest (the one the
workspace names) under our entry script, the outline and the Coder's context from tree-sitter
parses. Not registered yet (languages/registry.py): `LANGUAGES[TYPESCRIPT.name] = TYPESCRIPT`
serves it once the loop can run it.
"""

from __future__ import annotations

from typing import Callable, Sequence

from microagent.languages.language import Context, Outline
from microagent.languages.typescript import chat_files
from microagent.languages.typescript.context import build_context
from microagent.languages.typescript.detect import NoTestRunner, detect_runner
from microagent.languages.typescript.node_runner import NodeTestRunner
from microagent.languages.typescript.outline import outline
from microagent.languages.typescript.parsed import SUFFIXES, grammar_for
from microagent.languages.typescript.test_files import GLOBS, is_test_file
from microagent.sandbox.types import TestCase, WorkspaceSnapshot


class TypeScript:
    """`modules`: the node_modules directory holding vitest and jest for workspaces without
    their own (NodeTestRunner.modules); None runs the workspace's own. `node`: the Node.js the
    sandbox runs."""

    name = "typescript"
    suffixes = SUFFIXES
    test_file_globs = GLOBS
    chat = chat_files

    def __init__(self, modules: str | None = None, node: str = "node"):
        self.modules = modules
        self.node = node

    def is_test_file(self, path: str) -> bool:
        return is_test_file(path)

    def outline(self, path: str, text: str) -> Outline:
        if grammar_for(path) is None:  # no grammar reads it: nothing to outline
            return Outline(path, is_test_file=False, parsed=False)
        return outline(path, text)

    def test_runner(self, snapshot: WorkspaceSnapshot | None = None) -> NodeTestRunner:
        """The runner package.json or a config file names (detect.py); NoTestRunner, saying
        what to add, where the workspace names neither vitest nor jest."""
        if snapshot is None:
            raise NoTestRunner("TypeScript/JavaScript tests run under vitest or jest, whichever "
                               "the workspace's package.json names: the runner is chosen from "
                               "the workspace's files")
        top = {p: snapshot.text(p) for p in snapshot.files if "/" not in p}  # what detect reads
        return detect_runner(top).test_runner(self.modules, self.node)

    def coder_context(self, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                      count_tokens: Callable[[str], int],
                      suspects: Sequence[tuple[str, int]] = ()) -> Context:
        return build_context(snapshot, failing, count_tokens, suspects=suspects)


TYPESCRIPT = TypeScript()
