"""A large class as the Coder sees it: its header, docstring and class attributes, in full the
methods a fix may need (those the failing tests and the traceback name, `__init__`, and what
they call on `self`), and the names of the others in one comment.

A comment, not stub signatures: a small model echoes what it is shown, and an echoed stub
would replace a real method when its partial answer is spliced (partial_classes.py keeps
every method an answer does not bring back).
"""

from __future__ import annotations

import ast

from microagent.languages.python.parsed import FUNCTIONS, first_line, source_lines

BIG_CLASS_LINES = 80  # a class up to this long is shown whole


def is_big(node: ast.ClassDef) -> bool:
    return (node.end_lineno or node.lineno) - first_line(node) + 1 > BIG_CLASS_LINES


def methods_to_show(node: ast.ClassDef, named: set[str]) -> list[str]:
    """The methods of `node` worth showing in full: those `named`, `__init__`, and one level of
    the methods they call on `self`; in the class's order."""
    methods = {m.name: m for m in node.body if isinstance(m, FUNCTIONS)}
    wanted = (named | {"__init__"}) & methods.keys()
    for name in list(wanted):
        wanted |= {a.attr for a in ast.walk(methods[name]) if isinstance(a, ast.Attribute)
                   and isinstance(a.value, ast.Name) and a.value.id == "self"} & methods.keys()
    return [m for m in methods if m in wanted]


def class_view(lines: list[str], node: ast.ClassDef, shown: list[str]) -> str:
    """The class with only the methods in `shown` in full (the rest named in a comment)."""
    body = node.body
    start = first_line(node)
    header_end = first_line(body[0]) - 1 if body else node.end_lineno or node.lineno
    parts = ["\n".join(lines[start - 1 : header_end])]
    hidden = []
    for item in body:
        if isinstance(item, FUNCTIONS):
            if item.name in shown:
                parts.append("\n".join(source_lines(lines, item)))
            else:
                hidden.append(item.name)
        else:  # docstring, class attributes, nested classes: kept as written
            parts.append("\n".join(source_lines(lines, item)))
    indent = " " * (body[0].col_offset if body else 4)
    if hidden:
        parts.append(f"{indent}# also in {node.name}, unchanged and not shown: "
                     + ", ".join(hidden))
    return "\n\n".join(p.rstrip() for p in parts if p.strip())
