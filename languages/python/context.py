"""Context for the Coder: from the failing tests to the code under test, resolved with `ast`
in the workspace snapshot and cut to a token budget. Never the whole repository.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Sequence

from microagent.languages.python.class_view import class_view, is_big, methods_to_show
from microagent.languages.python.imports import defining_module, resolve_from, resolve_module
from microagent.languages.python.parsed import (DEFINITIONS, FUNCTIONS, defined_names, first_line, is_test_file,
                                               parse_module, source_lines, top_definitions)
from microagent.languages.suspects_first import suspects_first
from microagent.languages.language import Context, Piece
from microagent.sandbox.types import TestCase, WorkspaceSnapshot

FRAME = re.compile(r"^\s*(?:File \")?([\w./\-]+\.py)(?:\", line |:)(\d+)", re.M)
WHOLE_FILE_LINES = 150
SUSPECT_FUNCTIONS = 3  # functions shown for the localization's most suspicious lines


def build_context(
    snapshot: WorkspaceSnapshot,
    failing: list[TestCase],
    count_tokens: Callable[[str], int],
    budget: int = 3000,
    suspects: Sequence[tuple[str, int]] = (),
) -> Context:
    """`suspects`: (path, line) of the most suspicious lines (agents/localize.py), most
    suspicious first: the functions holding them are added where the budget allows, first
    (never past it: the rest of the context is what the tests reach without them)."""
    tests: list[Piece] = []
    modules: dict[str, set[str]] = {}  # module path -> names used from it
    missing: dict[str, str] = {}
    by_file: dict[str, list[str]] = {}
    attrs: set[str] = set()
    for case in failing:
        path, _, rest = case.node_id.partition("::")
        by_file.setdefault(path, []).append(rest.split("[")[0])
    for path, names in by_file.items():
        if path not in snapshot.files:
            continue
        source = snapshot.text(path)
        tests.append(Piece(path, _test_source(source, names)))
        tree = parse_module(source)
        if tree is not None:  # what the tests call on objects: a large class shows those
            attrs |= _referenced(tree, {n.split("::")[0] for n in names if n})
        for mod_path, used in _imported_modules(snapshot, path, source, names).items():
            modules.setdefault(mod_path, set()).update(used)

    hot = _traceback_hits(snapshot, failing)  # path -> function names in failing frames
    for path, funcs in hot.items():
        modules.setdefault(path, set()).update(funcs)
    for path, names in list(modules.items()):  # helpers they import from the workspace
        for dep, used in _imported_callees(snapshot, path, names).items():
            if dep not in modules and not is_test_file(dep):
                modules[dep] = used

    code: list[Piece] = []
    spent = sum(count_tokens(p.text) for p in tests)
    order = sorted(modules, key=lambda p: (p not in hot, p))
    for path in order:
        used = modules[path]
        source = snapshot.file_text(path)
        for name in sorted(used):
            if _missing_or_stub(source, name):
                missing[name] = path
        focus = not any(missing.get(n) == path for n in used)
        piece = _code_piece(path, source, used, hot.get(path, set()), focus, frozenset(attrs))
        cost = count_tokens(piece.text)
        if spent + cost > budget and code:
            continue
        spent += cost
        code.append(piece)
    order = suspects_first(
        code, order, modules, _suspect_functions(snapshot, suspects),
        lambda path, used, names: _code_piece(path, snapshot.file_text(path), used,
                                              hot.get(path, set()) | names, True, frozenset(attrs)),
        count_tokens, spent, budget)
    wanted = sorted({n for names in modules.values() for n in names})
    return Context(tests, code, order, wanted, missing)


def _test_source(source: str, names: list[str]) -> str:
    """The test file's imports and module-level setup, plus the selected test functions."""
    tree = parse_module(source)
    if tree is None:
        return source
    lines = source.splitlines()
    keep: list[str] = []
    wanted = {n.split("::")[0] for n in names if n}
    for node in tree.body:
        seg = "\n".join(source_lines(lines, node))
        if isinstance(node, DEFINITIONS):
            is_test = _is_test_definition(node)
            if wanted and node.name in wanted and isinstance(node, ast.ClassDef) \
                    and is_big(node):  # a large test class: its selected tests and set-up
                chosen = {n.split("::")[1] for n in names if n.startswith(node.name + "::")}
                set_up = {m.name for m in node.body if isinstance(m, FUNCTIONS)
                          and not m.name.startswith("test")}
                keep.append(class_view(lines, node, methods_to_show(node, chosen | set_up)))
            elif not wanted or node.name in wanted or not is_test:
                keep.append(seg)
        else:
            keep.append(seg)
    return "\n\n".join(keep) + "\n"


def _is_test_definition(node: ast.AST) -> bool:
    """A test function or test class: pytest's `test*`/`Test*` names, and unittest's classes
    (`DivideTest(TestCase)`, collected whatever their name)."""
    name = getattr(node, "name", "")
    if name.startswith(("test", "Test")):
        return True
    if isinstance(node, ast.ClassDef):
        bases = [ast.unparse(b) for b in node.bases]
        return name.endswith(("Test", "Tests")) or any(b.endswith("TestCase") for b in bases)
    return False


def _imported_modules(snapshot, test_path: str, source: str, names: list[str]) -> dict[str, set[str]]:
    """Workspace modules the test file imports, each with the names the failing tests use."""
    tree = parse_module(source)
    if tree is None:
        return {}
    referenced = _referenced(tree, {n.split("::")[0] for n in names if n})
    used_attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            path = resolve_module(snapshot, node.module, test_path)
            if path:
                imported = {a.name for a in node.names if a.name != "*"}
                for name in (imported & referenced) or imported:  # re-exports: to the definition
                    found.setdefault(defining_module(snapshot, path, name), set()).add(name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                path = resolve_module(snapshot, alias.name, test_path)
                if path:  # `import pkg as p`: what the failing tests use of it, else the file's
                    defined = defined_names(snapshot.text(path))
                    found.setdefault(path, set()).update(
                        (defined & used_attrs & referenced) or (defined & used_attrs))
    return found


def _imported_callees(snapshot: WorkspaceSnapshot, path: str, names: set[str]) -> dict[str, set[str]]:
    """Workspace functions that `names` in `path` call through a `from module import name`:
    a bug often lives in a helper of the function the test calls."""
    if path not in snapshot.files:
        return {}
    tree = parse_module(snapshot.text(path))
    if tree is None:
        return {}
    called = {n.id for node in tree.body if getattr(node, "name", None) in names
              for n in ast.walk(node) if isinstance(n, ast.Name)}
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or node.level):
            dep = resolve_from(snapshot, node, path)
            hits = {a.name for a in node.names if (a.asname or a.name) in called}
            for name in hits if dep else ():
                found.setdefault(defining_module(snapshot, dep, name), set()).add(name)
    return found


def _referenced(tree: ast.Module, tests: set[str]) -> set[str]:
    """Every name the selected test functions (all, when none is selected) refer to."""
    nodes = [n for n in tree.body if not tests or getattr(n, "name", None) in tests]
    names: set[str] = set()
    for node in nodes or tree.body:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
            elif isinstance(sub, ast.Attribute):
                names.add(sub.attr)
    return names


def _suspect_functions(snapshot: WorkspaceSnapshot, suspects: Sequence[tuple[str, int]],
                       most: int = SUSPECT_FUNCTIONS) -> dict[str, set[str]]:
    """The functions (top-level, and `Class.method`) holding the most suspicious lines."""
    found: dict[str, set[str]] = {}
    seen = 0
    for path, line in suspects:
        if path not in snapshot.files or is_test_file(path):
            continue
        source = snapshot.text(path)
        name = enclosing_definition(source, line)
        if not name:
            continue
        method = enclosing_definition(source, line, methods=True)
        names = found.setdefault(path, set())
        new = {name, method or name} - names
        if new:
            names |= new
            seen += 1
            if seen >= most:
                break
    return found


def _traceback_hits(snapshot: WorkspaceSnapshot, failing: list[TestCase]) -> dict[str, set[str]]:
    hits: dict[str, set[str]] = {}
    for case in failing:
        for path, line in FRAME.findall(case.traceback + "\n" + case.message):
            path = path.lstrip("./")
            if path in snapshot.files and not is_test_file(path):
                name = enclosing_definition(snapshot.text(path), int(line))
                hits.setdefault(path, set())
                if name:
                    hits[path].add(name)
                method = enclosing_definition(snapshot.text(path), int(line), methods=True)
                if method and method != name:
                    hits[path].add(method)
    return hits


def enclosing_definition(source: str, line: int, *, methods: bool = False) -> str | None:
    """The top-level definition holding `line`; with `methods`, `Class.method` where the line
    is in a method of a top-level class."""
    tree = parse_module(source)
    if tree is None:
        return None
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            if first_line(node) <= line <= (node.end_lineno or 0):
                if methods and isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, FUNCTIONS) and \
                                first_line(item) <= line <= (item.end_lineno or 0):
                            return f"{node.name}.{item.name}"
                return node.name
    return None


def _code_piece(path: str, source: str, used: set[str], hot: set[str], focus: bool = True,
                attrs: frozenset[str] = frozenset()) -> Piece:
    """The definitions the failing tests reach (and their callees), with the module's imports
    and constants; the whole file when it is small and something in it is missing. A small
    model shown one function answers with one function, instead of echoing the file. A large
    class shows the methods `used` names (`Class.method`), the traceback passes through or the
    tests refer to (`attrs`), and names the rest (class_view.py)."""
    lines = source.splitlines()
    tree = parse_module(source)
    if tree is None:
        return Piece(path, "\n".join(lines[:WHOLE_FILE_LINES]))
    defs = top_definitions(tree)
    wanted = ({n.split(".")[0] for n in used} | {n.split(".")[0] for n in hot}) & defs.keys()
    if (len(lines) <= WHOLE_FILE_LINES and not focus) or not wanted or wanted == defs.keys():
        if len(lines) <= WHOLE_FILE_LINES:
            return Piece(path, source)
    for name in list(wanted):  # one level of callees inside the same module
        if name in defs:
            wanted |= {n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name)} & defs.keys()
    imports = [ast.get_source_segment(source, n) or "" for n in tree.body
               if isinstance(n, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign))]
    parts, names = list(imports), []
    for node in (n for n in tree.body if getattr(n, "name", None) in wanted):
        if isinstance(node, ast.ClassDef) and is_big(node):
            named = {q.split(".", 1)[1] for q in used | hot if q.startswith(node.name + ".")}
            shown = methods_to_show(node, named | set(attrs))
            parts.append(class_view(lines, node, shown))
            names += [f"{node.name}.{m}" for m in shown]
        else:
            parts.append("\n".join(source_lines(lines, node)))
            names.append(node.name)
    return Piece(path, "\n\n".join(parts) + "\n", names=names)


def code_piece(path: str, source: str, names: list[str]) -> Piece:
    """The same focused view of `names` in another version of the file."""
    return _code_piece(path, source, set(names), set(), True)


def docstrings(tree: ast.AST) -> list[tuple[ast.AST, ast.Expr]]:
    """(owner, docstring statement) for the module, every class and every function in `tree`."""
    found = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            found.append((node, body[0]))
    return found


def _missing_or_stub(source: str, name: str) -> bool:
    from microagent.languages.python.splice import is_stub

    tree = parse_module(source)
    if tree is None:
        return False
    for node in tree.body:
        if getattr(node, "name", None) == name:
            if isinstance(node, FUNCTIONS):
                return is_stub(node)
            if isinstance(node, ast.ClassDef):
                methods = [m for m in node.body if isinstance(m, FUNCTIONS)]
                return bool(methods) and all(is_stub(m) for m in methods)
            return False
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return False
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name).split(".")[0] == name for a in node.names):
            return False
    return True

