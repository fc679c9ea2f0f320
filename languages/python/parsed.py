"""One parse of a Python module, shared by everything that reads source: the tree (or None when
it does not parse), its definitions with their true first lines, what makes a file a test file.

Pure and in memory: it never reads the disk. The trees are shared between callers, so nobody
may change one; code that rewrites a tree parses its own copy with `ast.parse`.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Union

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]

# What `ast.parse` raises on text that is not a module: bad syntax, a NUL byte, nesting too
# deep for the parser, or a file too big for memory.
PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)

# pytest's default rules, plus its support files and everything under a tests/ folder. The editor
# clients mirror this (editor-clients/vscode/src/target.ts, editor-clients/nvim/lua/microagent/
# target.lua); TEST_FILE_GLOBS says the same for LSP file watchers.
TEST_FILE = re.compile(r"(^|/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$")
TEST_FILE_GLOBS = ("**/test_*.py", "**/*_test.py", "**/conftest.py", "**/tests/**/*.py")


@functools.lru_cache(maxsize=64)
def parse_module(source: str) -> ast.Module | None:
    """The module's tree, or None when the text does not parse. Shared: never change it."""
    try:
        return ast.parse(source)
    except PARSE_ERRORS:
        return None


def parse_error(source: str) -> str | None:
    """Why the text is not valid Python ("line 3: invalid syntax"), or None when it is."""
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse the code: {exc}"
    return None


def first_line(node: ast.AST) -> int:
    """The 1-based first line of a statement, its decorators included."""
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno] + [d.lineno for d in decorators])  # type: ignore[attr-defined]


def source_lines(lines: list[str], node: ast.AST) -> list[str]:
    """The lines of a statement, from its first decorator to its last line."""
    return lines[first_line(node) - 1 : node.end_lineno]  # type: ignore[attr-defined]


def top_definitions(tree: ast.Module) -> dict[str, Definition]:
    """The module's top-level functions and classes by name (the last one wins, as in Python)."""
    return {node.name: node for node in tree.body if isinstance(node, DEFINITIONS)}


def defined_names(source: str) -> set[str]:
    """The names of the top-level functions and classes; none when the text does not parse."""
    tree = parse_module(source)
    return set(top_definitions(tree)) if tree else set()


def is_test_file(path: str) -> bool:
    """A test module, a conftest.py, or any file under a tests/ folder (workspace-relative)."""
    return bool(TEST_FILE.search(path)) or path.startswith("tests/") or "/tests/" in path


def named_as_tests(path: str) -> bool:
    """A file pytest collects by its default name pattern (`test_*.py`, `*_test.py`); a helper
    module under tests/ is not one, and naming it on pytest's command line would import it
    before its time (freezegun's test_import_after_start checks that it was not)."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def holds_tests(path: str) -> bool:
    """A Python test file pytest collects tests from: a test file, and not a conftest.py."""
    return path.endswith(".py") and is_test_file(path) and not path.endswith("conftest.py")
