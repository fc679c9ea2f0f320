"""A Python document's outline (`languages.language.Outline`): its functions with their line
ranges, which are tests, which are stubs, and the names a test file uses.

Pure and cheap: one parse (languages/python/parsed.py) of text already in memory; it never
reads the disk.
"""

from __future__ import annotations

import ast

from microagent.languages.python.parsed import FUNCTIONS, first_line, is_test_file, parse_module
from microagent.languages.python.splice import is_stub
from microagent.languages.language import Function, Outline


def outline(path: str, text: str) -> Outline:
    test_file = is_test_file(path)
    tree = parse_module(text)
    if tree is None:
        return Outline(path, test_file, parsed=False)
    functions: list[Function] = []
    for node in tree.body:
        _collect(node, [], node, test_file, functions)
    names = frozenset(used_names(tree)) if test_file else frozenset()
    return Outline(path, test_file, True, tuple(functions), names)


def used_names(tree: ast.AST) -> set[str]:
    """Every name a module reads, imports or reaches as an attribute."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.name for a in node.names)
    return names


def _collect(node: ast.AST, classes: list[str], top: ast.AST, test_file: bool,
             out: list[Function]) -> None:
    if isinstance(node, ast.ClassDef):
        for child in node.body:
            _collect(child, classes + [node.name], top, test_file, out)
        return
    if not isinstance(node, FUNCTIONS):
        return
    in_test_class = not classes or all(c.startswith("Test") for c in classes)
    doc = ast.get_docstring(node) or ""
    out.append(Function(
        name=node.name,
        node_path="::".join(classes + [node.name]),
        top_level=getattr(top, "name", node.name),
        start=first_line(node) - 1,
        end=(node.end_lineno or node.lineno) - 1,
        is_test=test_file and node.name.startswith("test") and in_test_class,
        is_stub=is_stub(node),
        has_examples=">>>" in doc,
    ))
    for child in node.body:  # nested functions are functions too, for review
        if isinstance(child, FUNCTIONS):
            _collect(child, classes, top, False, out)
