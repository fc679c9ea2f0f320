"""Completes a model's partial class answers before splicing: a class that brings back only the
methods it changed, or a bare `def method(self, ...)`, becomes the whole class from the file
with those methods replaced. It never drops a method the answer did not mention.
"""

from __future__ import annotations

import ast
import textwrap

from microagent.languages.python.parsed import FUNCTIONS as _FUNC
from microagent.languages.python.parsed import first_line as _start
from microagent.languages.python.parsed import parse_module


def complete_partial_classes(source: str, new_code: str) -> str:
    """Rewrite `new_code` so every class in it is complete with respect to `source`."""
    src_tree, new_tree = parse_module(source), parse_module(new_code)
    if src_tree is None or new_tree is None:
        return new_code  # splicing reports the error
    classes = {n.name: n for n in src_tree.body if isinstance(n, ast.ClassDef)}
    top_funcs = {n.name for n in src_tree.body if isinstance(n, _FUNC)}
    if not classes:
        return new_code
    src_lines = source.splitlines()
    new_lines = new_code.splitlines()
    replaced: list[tuple[int, int, str]] = []  # (start, end, text) in new_code, 1-based lines
    loose: dict[str, list[str]] = {}  # class name -> bare methods to fold in
    for node in new_tree.body:
        if isinstance(node, ast.ClassDef) and node.name in classes:
            methods = {m.name: _text(new_lines, m) for m in node.body if isinstance(m, _FUNC)}
            kept = _method_names(classes[node.name]) - set(methods)
            if methods and kept:
                whole = _merge(src_lines, classes[node.name], methods)
                replaced.append((_start(node), node.end_lineno or _start(node), whole))
        elif isinstance(node, _FUNC) and node.name not in top_funcs and _takes_self(node):
            owners = [c for c in classes.values() if node.name in _method_names(c)]
            if len(owners) == 1:
                loose.setdefault(owners[0].name, []).append(node.name)
                replaced.append((_start(node), node.end_lineno or _start(node), ""))
    if not replaced:
        return new_code
    for cls, names in loose.items():
        methods = {n.name: _text(new_lines, n) for n in new_tree.body
                   if isinstance(n, _FUNC) and n.name in names}
        replaced.append((len(new_lines) + 1, len(new_lines), _merge(src_lines, classes[cls], methods)))
    out = list(new_lines)
    for start, end, text in sorted(replaced, key=lambda r: r[0], reverse=True):
        out[start - 1 : end] = text.splitlines()
    return "\n".join(out) + "\n"


def _merge(src_lines: list[str], cls: ast.ClassDef, methods: dict[str, str]) -> str:
    """The class as in the source, with `methods` (dedented text) replaced or appended."""
    lines = src_lines[_start(cls) - 1 : cls.end_lineno]
    offset = _start(cls) - 1
    indent = _body_indent(src_lines, cls)
    pending = dict(methods)
    for member in sorted((m for m in cls.body if isinstance(m, _FUNC)),
                         key=_start, reverse=True):
        if member.name in pending:
            body = textwrap.indent(pending.pop(member.name), indent)
            lines[_start(member) - 1 - offset : (member.end_lineno or 0) - offset] = body.splitlines()
    for text in pending.values():
        lines += [""] + textwrap.indent(text, indent).splitlines()
    return textwrap.dedent("\n".join(lines))


def _text(lines: list[str], node: ast.AST) -> str:
    return textwrap.dedent("\n".join(lines[_start(node) - 1 : node.end_lineno]))


def _body_indent(lines: list[str], cls: ast.ClassDef) -> str:
    first = lines[cls.body[0].lineno - 1]
    class_line = lines[cls.lineno - 1]
    inner = first[: len(first) - len(first.lstrip())]
    outer = class_line[: len(class_line) - len(class_line.lstrip())]
    return inner[len(outer):] or "    "


def _method_names(cls: ast.ClassDef) -> set[str]:
    return {m.name for m in cls.body if isinstance(m, _FUNC)}


def _takes_self(func: ast.AST) -> bool:
    args = func.args.posonlyargs + func.args.args  # type: ignore[attr-defined]
    return bool(args) and args[0].arg in ("self", "cls")

