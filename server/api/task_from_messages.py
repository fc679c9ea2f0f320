"""Reads a task out of a chat: the fenced code blocks of the user's (and earlier assistant)
messages plus the `microagent.files`, sorted into tests and code, and the kind of run they ask for.

Pure: it only reads text. It never runs the code it reads, and refuses a chat that gives
neither tests nor docstring examples to check an answer against.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath

from microagent.languages.python.parsed import FUNCTIONS, holds_tests, is_test_file, parse_module, top_definitions
from microagent.languages.python.doc_examples import examples_from_docstring
from microagent.agents.types import Target, TaskKind
from microagent.server.api.chat_request import Message, path_problem
from microagent.server.api.code_blocks import code_blocks
from microagent.server.api.errors import bad_request

DEFAULT_MODULE = "solution.py"
DEFAULT_TESTS = "test_solution.py"
ROLES_READ = ("user", "assistant")  # a client's system prompt may hold unrelated examples
NOT_LOCAL = set(getattr(sys, "stdlib_module_names", ())) | {"pytest", "hypothesis", "numpy"}
TEST_LINE = re.compile(r"^(?:async\s+)?def test_\w*\s*\(", re.M)


@dataclass
class TaskFiles:
    files: dict[str, str]  # the workspace: relative path -> text
    kind: TaskKind
    target: Target  # a test file, the module (examples), or the whole workspace (all tests)
    module: str  # the file whose final code the answer shows


def task_from_messages(messages: list[Message], files: dict[str, str]) -> TaskFiles:
    workspace = dict(files)
    code_path: str | None = None
    pending_code: list[str] = []  # unnamed code blocks, named once the tests are known
    for message in messages:
        if message.role not in ROLES_READ:
            continue
        tests, code = [], []
        for block in code_blocks(message.text):
            if block.path:
                problem = path_problem(block.path)
                if problem:
                    raise bad_request(f"A code block names the file {problem}: name files by "
                                      "plain relative paths such as 'calc.py'.",
                                      param="messages", code="bad_path")
                workspace[block.path] = block.code
                if not is_test_file(block.path):
                    code_path = block.path
            elif is_pytest_file(block.code):
                tests.append(block.code)
            else:
                code.append(block.code)
        if tests:
            workspace[DEFAULT_TESTS] = "\n\n".join(tests)
        if code:
            pending_code = code
    _check_writable(workspace)
    test_files = sorted(filter(holds_tests, workspace))
    if pending_code:
        missing = _missing_modules(workspace, test_files)
        code_path = missing[0] if missing else DEFAULT_MODULE
        workspace[code_path] = "\n\n".join(pending_code)
    if not test_files:
        return _from_examples(workspace, code_path)
    module = code_path or _module_for_tests(workspace, test_files)
    workspace.setdefault(module, "")  # an empty module tells the Coder where the code goes
    kind = TaskKind.implement if _needs_writing(workspace, module, test_files) else TaskKind.fix
    return TaskFiles(workspace, kind, Target(path=test_files[0] if len(test_files) == 1 else ""),
                     module)


def is_pytest_file(code: str) -> bool:
    """Test functions or classes, and no other definitions (fixtures aside)."""
    tree = parse_module(code)
    if tree is None:
        return bool(TEST_LINE.search(code))
    tests = others = 0
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("test") or _is_fixture(node):
                tests += node.name.startswith("test")
            else:
                others += 1
        elif isinstance(node, ast.ClassDef):
            if node.name.startswith("Test"):
                tests += 1
            else:
                others += 1
    return tests > 0 and others == 0


def _from_examples(workspace: dict[str, str], code_path: str | None) -> TaskFiles:
    candidates = [code_path] if code_path else sorted(p for p in workspace if p.endswith(".py"))
    for path in candidates:
        if _has_examples(workspace[path]):
            return TaskFiles(workspace, TaskKind.implement, Target(path=path), path)
    if not candidates:
        raise bad_request(
            "The messages hold no code and no tests. Send the code in a ```python block, and "
            "either its tests (a pytest block with `def test_...`) or examples in its docstrings "
            "(`>>> add(2, 3)` then `5`).", param="messages", code="no_task")
    raise bad_request(
        f"There are no tests for {candidates[0]} and its docstrings hold no examples to test "
        "against. Add a pytest block (`def test_...`) or docstring examples "
        "(`>>> add(2, 3)` then `5`).", param="messages", code="no_tests")


def _check_writable(workspace: dict[str, str]) -> None:
    """Refuse what the folder could not hold: a file that is also a folder of other files.
    (Names and text were checked when the request was read: see chat_request.)"""
    folders = {str(parent) for path in workspace for parent in PurePosixPath(path).parents}
    for path in workspace:
        if path in folders:
            raise bad_request(f"{path!r} is sent both as a file and as a folder of other files.",
                              param="microagent.files", code="bad_path")


def _has_examples(source: str) -> bool:
    tree = parse_module(source)
    if tree is None:
        return False
    return any(examples_from_docstring(node.name, ast.get_docstring(node) or "")
               for node in tree.body if isinstance(node, FUNCTIONS))


def _imports(source: str) -> list[tuple[str, list[str]]]:
    """(top-level module, names imported from it) for each absolute import."""
    tree = parse_module(source)
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


def _module_path(workspace: dict[str, str], module: str) -> str | None:
    base = module.replace(".", "/")
    for path in (f"{base}.py", f"{base}/__init__.py", f"src/{base}.py", f"src/{base}/__init__.py"):
        if path in workspace:
            return path
    return None


def _missing_modules(workspace: dict[str, str], test_files: list[str]) -> list[str]:
    missing = []
    for test in test_files:
        for module, _ in _imports(workspace[test]):
            top = module.split(".")[0]
            path = f"{module.replace('.', '/')}.py"
            if top not in NOT_LOCAL and _module_path(workspace, module) is None and path not in missing:
                missing.append(path)
    return missing


def _module_for_tests(workspace: dict[str, str], test_files: list[str]) -> str:
    for test in test_files:
        for module, _ in _imports(workspace[test]):
            path = _module_path(workspace, module)
            if path and not is_test_file(path):
                return path
    missing = _missing_modules(workspace, test_files)
    return missing[0] if missing else DEFAULT_MODULE


def _needs_writing(workspace: dict[str, str], module: str, test_files: list[str]) -> bool:
    """Implement when the module is missing, lacks a name the tests import, or holds stubs."""
    if module not in workspace:
        return True
    tree = parse_module(workspace[module])
    if tree is None:
        return False
    defined = set(top_definitions(tree))
    defined |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                if isinstance(t, ast.Name)}
    stem = PurePosixPath(module).with_suffix("").as_posix().removeprefix("src/").replace("/", ".")
    stem = stem.removesuffix(".__init__")
    for test in test_files:
        for name_module, names in _imports(workspace[test]):
            if name_module == stem and any(n != "*" and n not in defined for n in names):
                return True
    return any(_is_stub(n) for n in tree.body if isinstance(n, FUNCTIONS))


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    if not body:
        return True
    if len(body) != 1:
        return False
    only = body[0]
    if isinstance(only, ast.Pass):
        return True
    if isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant) and only.value.value is ...:
        return True
    if isinstance(only, ast.Raise) and only.exc is not None:
        exc = only.exc.func if isinstance(only.exc, ast.Call) else only.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def _is_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any("fixture" in ast.unparse(d) for d in node.decorator_list)
