"""Which tests a task runs: a node id, a test file, the whole suite, or tests made from a
function's docstring examples when there are none. Generated tests live only in the sandbox.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from microagent.languages.python.imports import imported_files
from microagent.languages.python.parsed import (FUNCTIONS, holds_tests, is_test_file, named_as_tests,
                                              parse_error, parse_module)
from microagent.languages.python.doc_examples import examples_from_docstring, tests_from_examples
from microagent.agents.types import Target, Task, TaskKind
from microagent.sandbox.types import WorkspaceSnapshot

EXAMPLES_FILE = "test_microagent_examples.py"


@dataclass
class Plan:
    snapshot: WorkspaceSnapshot
    selection: list[str] | None  # None: the whole suite
    problem: str | None = None  # why the task cannot run, for the user
    review_text: str = ""


def plan_tests(task: Task, snapshot: WorkspaceSnapshot) -> Plan:
    target = task.target
    if task.kind == TaskKind.review:
        return _review_plan(target, snapshot)
    if target.whole:
        return Plan(snapshot, None)
    if target.test:
        if target.path not in snapshot.files:
            return Plan(snapshot, None, f"test file {target.path} not found in the workspace")
        return Plan(snapshot, [f"{target.path}::{target.test}"])
    file, name = target.path, target.symbol
    if is_test_file(file) or _is_dir(snapshot, file):
        if file not in snapshot.files and not _is_dir(snapshot, file):
            return Plan(snapshot, None, f"{file} not found in the workspace")
        return Plan(snapshot, [file])
    if file not in snapshot.files:
        return Plan(snapshot, None, f"{file} not found in the workspace")
    tests = tests_importing(snapshot, file)
    if tests:
        return Plan(snapshot, tests)
    if task.kind == TaskKind.implement:
        return _examples_plan(snapshot, file, name)
    return Plan(snapshot, None)


def _examples_plan(snapshot: WorkspaceSnapshot, file: str, name: str) -> Plan:
    """No test uses the code: its docstring examples become the tests, deterministically."""
    tree = parse_module(snapshot.text(file))
    if tree is None:
        return Plan(snapshot, None, f"{file} does not parse ({parse_error(snapshot.text(file))}): "
                                    "fix that first")
    module = _module_name(file)
    sources = []
    for node in tree.body:
        if isinstance(node, FUNCTIONS) and (not name or node.name == name):
            examples = examples_from_docstring(node.name, ast.get_docstring(node) or "")
            if examples:
                sources.append(tests_from_examples(module, node.name, examples))
    if not sources:
        what = f"{name} in {file}" if name else file
        return Plan(snapshot, None, f"no tests use {what} and its docstring has no examples "
                                    "to test against: write a test first")
    generated = "\n\n".join(sources)
    return Plan(snapshot.with_files({EXAMPLES_FILE: generated}), [EXAMPLES_FILE])


def _review_plan(target: Target, snapshot: WorkspaceSnapshot) -> Plan:
    file, name = target.path, target.symbol
    if file not in snapshot.files:
        return Plan(snapshot, None, f"{file or 'a file'} not found in the workspace: "
                                    "review needs FILE or FILE:NAME")
    source = snapshot.text(file)
    text = source
    if name:
        tree = parse_module(source)
        node = next((n for n in (tree.body if tree else []) if getattr(n, "name", None) == name), None)
        if node is None:
            return Plan(snapshot, None, f"{name} is not a top-level definition in {file}")
        text = ast.get_source_segment(source, node) or source
        start = node.lineno
    else:
        start = 1
    numbered = "\n".join(f"{i:4d}  {line}" for i, line in enumerate(text.splitlines(), start))
    return Plan(snapshot, None, review_text=f"### {file} (line numbers on the left)\n{numbered}\n")


def tests_importing(snapshot: WorkspaceSnapshot, file: str) -> list[str]:
    """The test files that import `file`, by their `ast` (a file that does not parse imports
    nothing pytest could run); helper modules under tests/ are not test files to run."""
    found = []
    for path in sorted(p for p in snapshot.files if holds_tests(p) and named_as_tests(p)):
        tree = parse_module(snapshot.text(path))
        if tree is not None and file in imported_files(snapshot, path, tree):
            found.append(path)
    return found


def _module_name(file: str) -> str:
    parts = list(PurePosixPath(file).with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_dir(snapshot: WorkspaceSnapshot, path: str) -> bool:
    prefix = path.rstrip("/") + "/"
    return any(p.startswith(prefix) for p in snapshot.files)
