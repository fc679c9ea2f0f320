"""Applies model-written definitions to a file by their `ast` positions: same-named top-level
functions, classes and assignments are replaced, new ones added, missing imports inserted.

It never returns a file that does not parse, never applies half an edit (on any error the source
comes back unchanged) and never lets the model's scratch code (prints, asserts, demos) in.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field

from microagent.languages.python.file_layout import (assigned_name, before_first_definition, bindings, bindings_of,
                                                    global_uses, read_layout)
from microagent.languages.python.parsed import DEFINITIONS, defined_names, first_line, parse_error, parse_module

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass
class SpliceResult:
    content: str  # the new file; the source unchanged when `error` is set
    replaced: list[str] = field(default_factory=list)  # names whose definition changed
    added: list[str] = field(default_factory=list)  # names new to the file
    imports_added: list[str] = field(default_factory=list)  # import statements inserted
    error: str | None = None  # short and fit to show the model: "line 3: invalid syntax"


@dataclass
class _Piece:
    """A top-level statement of the new code, as text."""

    name: str
    text: str
    node: ast.stmt


def splice_definitions(source: str, new_code: str, *, allow_new: bool = True) -> SpliceResult:
    """Puts the top-level definitions, imports and assignments of `new_code` into `source`."""
    new_code = _normalize(new_code)
    tree = parse_module(new_code)
    if tree is None:
        return SpliceResult(content=source, error=parse_error(new_code))
    definitions, assignments, imports = _pieces(tree, new_code.split("\n"))
    if not source.strip():
        return _new_file(source, definitions, assignments, imports, allow_new)

    lines = LINE.findall(source)
    newline = "\r\n" if "\r\n" in source else "\n"
    layout = read_layout(source, lines)
    if not any(_is_test_name(name) for name in layout.definitions):
        # Tests the model wrote to try its code out do not belong in the code under test.
        definitions = {n: p for n, p in definitions.items() if not _is_test_name(n) or n in layout.definitions}
    # (start, priority, end, new lines), 0-based. Applied bottom-up; at one line the edit of lower
    # priority lands above: __future__ imports, then imports, then assignments, then a replacement.
    edits: list[tuple[int, int, int, list[str]]] = []
    result = SpliceResult(content=source)
    kept: list[_Piece] = []  # what goes into the file, to decide which imports it needs

    new_names = [name for name in definitions if name not in layout.definitions]
    if new_names and not allow_new:
        return SpliceResult(content=source, error="new definitions are not allowed here: "
                                                  + ", ".join(new_names))
    for piece in definitions.values():
        span = layout.definitions.get(piece.name)
        if span is None:
            kept.append(piece)
        elif _changed(lines, span, piece.text):
            edits.append((span[0] - 1, 3, span[1], _as_lines(piece.text, newline)))
            result.replaced.append(piece.name)
            kept.append(piece)

    uses = layout.global_uses | global_uses(ast.Module(body=[p.node for p in definitions.values()],
                                                        type_ignores=[]))
    new_assignments: list[_Piece] = []
    for piece in assignments.values():
        span = layout.assignments.get(piece.name)
        if span is not None:
            if _changed(lines, span, piece.text):
                edits.append((span[0] - 1, 3, span[1], _as_lines(piece.text, newline)))
                result.replaced.append(piece.name)
                kept.append(piece)
        elif piece.name in uses or _constant_name(piece.name):
            new_assignments.append(piece)
            kept.append(piece)
    if new_assignments:
        at = before_first_definition(lines, layout)
        text = "".join(p.text + "\n" for p in new_assignments) + ("\n\n" if at < len(lines) else "")
        edits.append((at, 2, at, _as_lines(text, newline)))

    needed = _needed_imports(imports, kept, layout.imported, only_imports=not definitions and not assignments)
    future = [n for n in needed if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    others = [n for n in needed if n not in future]
    if future:
        at = layout.after_future if layout.after_future is not None else layout.header_end
        edits.append((at, 0, at, _as_lines("".join(ast.unparse(n) + "\n" for n in future), newline)))
    if others:
        text = "".join(ast.unparse(n) + "\n" for n in others)
        if layout.after_imports is not None:
            at = layout.after_imports
        elif layout.has_docstring:
            at, text = layout.header_end, "\n" + text
        else:  # at the top, below any shebang or licence comment
            at, text = layout.header_end, text + "\n\n"
        edits.append((at, 1, at, _as_lines(text, newline)))
    result.imports_added = [ast.unparse(n) for n in future + others]
    result.added = new_names + [p.name for p in new_assignments]

    if not edits and not new_names:
        return result
    for start, _, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = replacement
    content = "".join(lines)
    if new_names:
        tail = "\n\n\n".join(definitions[name].text for name in new_names) + "\n"
        content = content.rstrip("\r\n \t") + newline * 3 + tail.replace("\n", newline)
    problem = parse_error(content)
    if problem:
        return SpliceResult(content=source, error=f"the changed file does not parse: {problem}")
    lost = layout.must_keep - defined_names(content)
    if lost:  # only possible when the source did not parse and was read by its indentation
        return SpliceResult(content=source, error="could not tell where the definitions in this file "
                                                  "end: " + ", ".join(sorted(lost)))
    result.content = content
    return result


def is_stub(func_node: ast.AST) -> bool:
    """A function whose body is only a docstring, `pass`, `...` or `raise NotImplementedError`."""
    if not isinstance(func_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for stmt in func_node.body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
                and (stmt.value.value is Ellipsis or isinstance(stmt.value.value, str)):
            continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        return False
    return True


def _normalize(code: str) -> str:
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    return textwrap.dedent(code)


def _pieces(tree: ast.Module, lines: list[str]) -> tuple[dict[str, _Piece], dict[str, _Piece], list[ast.stmt]]:
    definitions: dict[str, _Piece] = {}
    assignments: dict[str, _Piece] = {}
    imports: list[ast.stmt] = []
    for node in tree.body:
        text = "\n".join(lines[first_line(node) - 1 : node.end_lineno]).rstrip()
        if isinstance(node, DEFINITIONS):
            definitions.pop(node.name, None)  # a later definition wins, as in Python
            definitions[node.name] = _Piece(node.name, text, node)
        elif assigned_name(node):
            name = assigned_name(node)
            assignments.pop(name, None)
            assignments[name] = _Piece(name, text, node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
    return definitions, assignments, imports


def _new_file(source: str, definitions: dict[str, _Piece], assignments: dict[str, _Piece],
              imports: list[ast.stmt], allow_new: bool) -> SpliceResult:
    if definitions and not allow_new:
        return SpliceResult(content=source, error="new definitions are not allowed here: "
                                                  + ", ".join(definitions))
    uses = global_uses(ast.Module(body=[p.node for p in definitions.values()], type_ignores=[]))
    kept = [p for p in assignments.values() if p.name in uses or _constant_name(p.name)]
    statements = _needed_imports(imports, list(definitions.values()) + kept, set(),
                                 only_imports=not definitions and not assignments)
    statements.sort(key=lambda n: not (isinstance(n, ast.ImportFrom) and n.module == "__future__"))
    sections = ["\n".join(ast.unparse(n) for n in statements),
                "\n".join(p.text for p in kept),
                "\n\n\n".join(p.text for p in definitions.values())]
    content = "\n\n\n".join(s for s in sections if s)
    content = content + "\n" if content else ""
    problem = parse_error(content)
    if problem:
        return SpliceResult(content=source, error=f"the new file does not parse: {problem}")
    return SpliceResult(content=content, added=list(definitions) + [p.name for p in kept],
                        imports_added=[ast.unparse(n) for n in statements])


def _needed_imports(imports: list[ast.stmt], kept: list[_Piece], imported: set[tuple],
                    *, only_imports: bool) -> list[ast.stmt]:
    """The imports of the new code that the kept code reads and the file lacks, once each."""
    reads = {n.id for p in kept for n in ast.walk(p.node) if isinstance(n, ast.Name)}
    reads |= {n.value.id for p in kept for n in ast.walk(p.node)
              if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    needed: list[ast.stmt] = []
    seen = set(imported)
    for node in imports:
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        names = [a for a in node.names
                 if only_imports or is_future or (a.asname or a.name).split(".")[0] in reads]
        part = _missing_part(_with_names(node, names), seen) if names else None
        if part is not None:
            needed.append(part)
            seen |= bindings(part)
    return needed


def _missing_part(node: ast.stmt, imported: set[tuple]) -> ast.stmt | None:
    """The part of an import statement that binds something not yet imported, or None."""
    keep = [alias for alias in node.names if not (bindings_of(node, alias) <= imported)]
    return _with_names(node, keep) if keep else None


def _with_names(node: ast.stmt, names: list[ast.alias]) -> ast.stmt:
    if isinstance(node, ast.Import):
        return ast.Import(names=names)
    return ast.ImportFrom(module=node.module, names=names, level=node.level)


def _is_test_name(name: str) -> bool:
    return name.startswith("test_") or name.startswith("Test")


def _constant_name(name: str) -> bool:
    return (name.isupper() and any(c.isalpha() for c in name)) or (name.startswith("__") and name.endswith("__"))


def _changed(lines: list[str], span: tuple[int, int], text: str) -> bool:
    old = "".join(lines[span[0] - 1 : span[1]]).replace("\r\n", "\n").replace("\r", "\n")
    return old.rstrip() != text.rstrip()


def _as_lines(text: str, newline: str) -> list[str]:
    return [line + newline for line in text.split("\n")[:-1]] if text.endswith("\n") \
        else [line + newline for line in text.split("\n")]
