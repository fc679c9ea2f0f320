"""Python workspaces made from a chat's code blocks (the HTTP API): which block holds tests,
which module the tests want, whether it must be written or repaired. Pure: it only reads text.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import PurePosixPath

from microagent.languages.python.doc_examples import examples_from_docstring
from microagent.languages.python.parsed import FUNCTIONS, is_test_file, parse_module, top_definitions
from microagent.languages.python.parsed import holds_tests as holds_tests  # part of this interface

default_module = "solution.py"
default_tests = "test_solution.py"
NOT_LOCAL = set(getattr(sys, "stdlib_module_names", ())) | {"pytest", "hypothesis", "numpy"}
TEST_LINE = re.compile(r"^(?:async\s+)?def test_\w*\s*\(", re.M)
# The info strings of a fence that holds Python ("" too: Python is the default), and the words
# that start a line of code in an unlabelled block that does not parse.
fences = frozenset({"", "python", "py", "python3", "py3", "ipython", "pycon3"})
CODE_WORDS = ("def ", "async def ", "class ", "import ", "from ", "return", "if ", "for ",
              "while ", "@")


def is_code(code: str) -> bool:
    """Parses as more than a bare word or number (a one-word message parses as Python too)."""
    tree = parse_module(code)
    return tree is not None and any(
        not (isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Constant)))
        for node in tree.body)


def looks_like_code(code: str) -> bool:
    """Parses, or has a line that starts like code."""
    return parse_module(code) is not None or any(
        line.lstrip().startswith(CODE_WORDS) for line in code.split("\n"))


def is_test_code(code: str) -> bool:
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


def has_examples(source: str) -> bool:
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


def missing_modules(workspace: dict[str, str], test_files: list[str]) -> list[str]:
    missing = []
    for test in test_files:
        for module, _ in _imports(workspace[test]):
            top = module.split(".")[0]
            path = f"{module.replace('.', '/')}.py"
            if top not in NOT_LOCAL and _module_path(workspace, module) is None and path not in missing:
                missing.append(path)
    return missing


def module_for_tests(workspace: dict[str, str], test_files: list[str]) -> str:
    for test in test_files:
        for module, _ in _imports(workspace[test]):
            path = _module_path(workspace, module)
            if path and not is_test_file(path):
                return path
    missing = missing_modules(workspace, test_files)
    return missing[0] if missing else default_module


def needs_writing(workspace: dict[str, str], module: str, test_files: list[str]) -> bool:
    """Whether code must be written, not repaired: the module is missing, lacks a name the
    tests import, or holds stubs."""
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
