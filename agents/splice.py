"""Applies model-written definitions to a file by their `ast` positions: same-named top-level
functions, classes and assignments are replaced, new ones added, missing imports inserted.

It never returns a file that does not parse, never applies half an edit (on any error the source
comes back unchanged) and never lets the model's scratch code (prints, asserts, demos) in.
"""

from __future__ import annotations

import ast
import difflib
import re
import textwrap
from dataclasses import dataclass, field

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
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


@dataclass
class _Layout:
    """Where things are in the source: 1-based inclusive line spans."""

    definitions: dict[str, tuple[int, int]] = field(default_factory=dict)
    assignments: dict[str, tuple[int, int]] = field(default_factory=dict)
    imported: set[tuple] = field(default_factory=set)
    header_end: int = 0  # the last line of the module docstring, or of the comments on top
    has_docstring: bool = False
    after_future: int | None = None
    after_imports: int | None = None
    first_definition: int | None = None
    global_uses: set[str] = field(default_factory=set)  # names read inside definitions
    must_keep: set[str] = field(default_factory=set)  # names the result must still define


def splice_definitions(source: str, new_code: str, *, allow_new: bool = True) -> SpliceResult:
    """Puts the top-level definitions, imports and assignments of `new_code` into `source`."""
    new_code = _normalize(new_code)
    try:
        tree = ast.parse(new_code)
    except SyntaxError as exc:
        return SpliceResult(content=source, error=f"line {exc.lineno}: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return SpliceResult(content=source, error=f"cannot parse the code: {exc}")
    definitions, assignments, imports = _pieces(tree, new_code.split("\n"))
    if not source.strip():
        return _new_file(source, definitions, assignments, imports, allow_new)

    lines = LINE.findall(source)
    newline = "\r\n" if "\r\n" in source else "\n"
    layout = _layout(source, lines)
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

    uses = layout.global_uses | _global_uses(ast.Module(body=[p.node for p in definitions.values()],
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
        at = _before_first_definition(lines, layout)
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
    problem = _parse_error(content)
    if problem:
        return SpliceResult(content=source, error=f"the changed file does not parse: {problem}")
    lost = layout.must_keep - _top_level_names(content)
    if lost:  # only possible when the source did not parse and was read by its indentation
        return SpliceResult(content=source, error="could not tell where the definitions in this file "
                                                  "end: " + ", ".join(sorted(lost)))
    result.content = content
    return result


def _top_level_names(content: str) -> set[str]:
    return {n.name for n in ast.parse(content).body if isinstance(n, DEFINITIONS)}


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


def unified_diff(path: str, old: str, new: str) -> str:
    """A git-style unified diff of one file, `a/path` against `b/path`; "" when equal."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile=f"a/{path}", tofile=f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _normalize(code: str) -> str:
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    return textwrap.dedent(code)


def _pieces(tree: ast.Module, lines: list[str]) -> tuple[dict[str, _Piece], dict[str, _Piece], list[ast.stmt]]:
    definitions: dict[str, _Piece] = {}
    assignments: dict[str, _Piece] = {}
    imports: list[ast.stmt] = []
    for node in tree.body:
        text = "\n".join(lines[_start(node) - 1 : node.end_lineno]).rstrip()
        if isinstance(node, DEFINITIONS):
            definitions.pop(node.name, None)  # a later definition wins, as in Python
            definitions[node.name] = _Piece(node.name, text, node)
        elif _assigned_name(node):
            name = _assigned_name(node)
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
    uses = _global_uses(ast.Module(body=[p.node for p in definitions.values()], type_ignores=[]))
    kept = [p for p in assignments.values() if p.name in uses or _constant_name(p.name)]
    statements = _needed_imports(imports, list(definitions.values()) + kept, set(),
                                 only_imports=not definitions and not assignments)
    statements.sort(key=lambda n: not (isinstance(n, ast.ImportFrom) and n.module == "__future__"))
    sections = ["\n".join(ast.unparse(n) for n in statements),
                "\n".join(p.text for p in kept),
                "\n\n\n".join(p.text for p in definitions.values())]
    content = "\n\n\n".join(s for s in sections if s)
    content = content + "\n" if content else ""
    problem = _parse_error(content)
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
            seen |= _bindings(part)
    return needed


def _with_names(node: ast.stmt, names: list[ast.alias]) -> ast.stmt:
    if isinstance(node, ast.Import):
        return ast.Import(names=names)
    return ast.ImportFrom(module=node.module, names=names, level=node.level)


def _layout(source: str, lines: list[str]) -> _Layout:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _layout_by_indentation(lines)
    layout = _Layout(global_uses=_global_uses(tree))
    body = tree.body
    if body and _is_docstring(body[0]):
        layout.header_end, layout.has_docstring = body[0].end_lineno, True
    else:
        layout.header_end = _leading_comments(lines)
    in_header = True
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            layout.imported |= _bindings(node)
            if in_header:
                layout.after_imports = node.end_lineno
                if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                    layout.after_future = node.end_lineno
        elif not _is_docstring(node):
            in_header = False
        if isinstance(node, DEFINITIONS):
            layout.definitions[node.name] = (_start(node), node.end_lineno)
            if layout.first_definition is None:
                layout.first_definition = _start(node)
        elif _assigned_name(node):
            layout.assignments[_assigned_name(node)] = (node.lineno, node.end_lineno)
    return layout


TOP_DEF = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)")
TOP_ASSIGN = re.compile(r"^(\w+)\s*(?::[^=]*)?=(?!=)")
STATEMENT_START = re.compile(r"^(?:async\s+def|def|class|import|from)\s|^@")


def _layout_by_indentation(lines: list[str]) -> _Layout:
    """The layout of a file that does not parse, from its column-0 statements."""
    layout = _Layout(header_end=_leading_comments(lines))
    layout.must_keep = {m.group(1) for m in map(TOP_DEF.match, lines) if m}
    inside = _continued_lines(lines)
    blocks: list[list[int]] = []  # [first line, last line], 1-based
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if not inside[number - 1] and (not text.strip() or text.startswith("#")):
            continue
        continues = inside[number - 1] or text[0] in " \t" or (
            blocks and lines[blocks[-1][0] - 1].startswith("@") and _decorated_so_far(lines, blocks[-1]))
        if continues and blocks:
            blocks[-1][1] = number
        else:
            blocks.append([number, number])
    if blocks and lines[blocks[0][0] - 1].startswith(("'", '"')):
        layout.header_end, layout.has_docstring = blocks[0][1], True
    in_header = True
    for first, last in blocks:
        head = first
        while lines[head - 1].startswith("@") and head < last:
            head += 1
        text = lines[head - 1]
        definition, assignment = TOP_DEF.match(text), TOP_ASSIGN.match(text)
        if text.startswith(("import ", "from ")):
            chunk = "".join(lines[first - 1 : last])
            try:
                for node in ast.parse(chunk).body:
                    layout.imported |= _bindings(node)
            except (SyntaxError, ValueError):
                pass
            if in_header:
                layout.after_imports = last
        elif definition:
            layout.definitions[definition.group(1)] = (first, last)
            if layout.first_definition is None:
                layout.first_definition = first
            in_header = False
        elif assignment:
            layout.assignments[assignment.group(1)] = (first, last)
            in_header = False
        elif not text.startswith(("'", '"')):
            in_header = False
    return layout


def _continued_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it starts inside a string or an open bracket."""
    flags = []
    quote, depth = "", 0
    for line in lines:
        if not quote and STATEMENT_START.match(line):
            depth = 0  # a bracket left open on a broken line does not swallow the next definition
        flags.append(bool(quote) or depth > 0)
        k = 0
        while k < len(line):
            if quote:
                if line[k] == "\\":
                    k += 1
                elif line.startswith(quote, k):
                    k += len(quote) - 1
                    quote = ""
            elif line[k] == "#":
                break
            elif line[k] in "'\"":
                triple = line[k] * 3
                quote = triple if line.startswith(triple, k) else line[k]
                k += len(quote) - 1
            elif line[k] in "([{":
                depth += 1
            elif line[k] in ")]}":
                depth = max(0, depth - 1)
            k += 1
        if len(quote) == 1:
            quote = ""  # a one-quote string cannot go on past its line
    return flags


def _leading_comments(lines: list[str]) -> int:
    """How many lines at the top are comments (a shebang, an encoding line, a licence)."""
    count = 0
    for line in lines:
        if not line.startswith("#"):
            break
        count += 1
    return count


def _before_first_definition(lines: list[str], layout: _Layout) -> int:
    """The 0-based line before which new assignments go: above the first definition's comments."""
    if layout.first_definition is None:
        return len(lines)
    at = layout.first_definition - 1
    while at > 0 and lines[at - 1].lstrip().startswith("#"):
        at -= 1
    return at


def _missing_part(node: ast.stmt, imported: set[tuple]) -> ast.stmt | None:
    """The part of an import statement that binds something not yet imported, or None."""
    keep = [alias for alias in node.names if not (_bindings_of(node, alias) <= imported)]
    return _with_names(node, keep) if keep else None


def _bindings(node: ast.stmt) -> set[tuple]:
    if not isinstance(node, (ast.Import, ast.ImportFrom)):
        return set()
    return {key for alias in node.names for key in _bindings_of(node, alias)}


def _bindings_of(node: ast.stmt, alias: ast.alias) -> set[tuple]:
    if isinstance(node, ast.Import):
        return {("import", alias.name, alias.asname)}
    return {("from", node.level, node.module, alias.name, alias.asname)}


def _global_uses(tree: ast.AST) -> set[str]:
    """Names the definitions read but do not bind themselves: the globals they rely on."""
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            used |= _free_names(node)
        elif isinstance(node, ast.ClassDef):
            used |= {d.id for d in ast.walk(ast.Module(body=node.decorator_list + node.bases, type_ignores=[]))
                     if isinstance(d, ast.Name)}
            used |= {n.id for stmt in node.body if not isinstance(stmt, DEFINITIONS)
                     for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used


def _free_names(func: ast.AST) -> set[str]:
    loads, bound, declared_global = set(), set(), set()
    args = func.args
    for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if arg is not None:
            bound.add(arg.arg)
    for node in ast.walk(func):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.Global):
            declared_global |= set(node.names)
        elif isinstance(node, DEFINITIONS) and node is not func:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return (loads - bound) | declared_global


def _is_test_name(name: str) -> bool:
    return name.startswith("test_") or name.startswith("Test")


def _constant_name(name: str) -> bool:
    return (name.isupper() and any(c.isalpha() for c in name)) or (name.startswith("__") and name.endswith("__"))


def _assigned_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno] + [d.lineno for d in decorators])


def _changed(lines: list[str], span: tuple[int, int], text: str) -> bool:
    old = "".join(lines[span[0] - 1 : span[1]]).replace("\r\n", "\n").replace("\r", "\n")
    return old.rstrip() != text.rstrip()


def _as_lines(text: str, newline: str) -> list[str]:
    return [line + newline for line in text.split("\n")[:-1]] if text.endswith("\n") \
        else [line + newline for line in text.split("\n")]


def _parse_error(content: str) -> str | None:
    try:
        ast.parse(content)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return str(exc)
    return None
