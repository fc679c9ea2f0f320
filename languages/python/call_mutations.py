"""Mutants of a line's calls, made from the module's own code (PraPR's method-call replacement;
the "ingredients" of ssFix and CapGen):

- `callee`: another method of the class (`self._term()` for `self._expr()`), or another function
  of the module, that takes the same arguments, called instead;
- `rounding`: one rounding function for another (`round`, `int`, `math.floor`, `math.ceil`,
  `math.trunc`, as far as the module imports them);
- `insert`: a call statement written elsewhere in the class (or, outside a class, the module)
  put before the line, when every name it uses is bound there: the forgotten update
  (`self._data.move_to_end(key)` before `return value`).

Edits are (start, end, new text, kind) on the source, as in languages/python/mutations.py.
"""

from __future__ import annotations

import ast
import builtins
from typing import Callable

from microagent.languages.python.parsed import FUNCTIONS

Span = Callable[[ast.AST], "tuple[int, int]"]
Edit = tuple[int, int, str, str]
ROUNDING = ("round", "int", "floor", "ceil", "trunc")  # the last three from `math`
MOST_INSERTS = 6  # call statements tried before one line
BUILTINS = frozenset(dir(builtins))


def call_edits(tree: ast.Module, source: str, line: int, function: ast.AST | None,
               span: Span) -> list[Edit]:
    """The call slips of `line` (see the module's docstring), in `function`, the innermost one
    around it (None: the module's top level)."""
    owner = _owner(tree, function)
    out: list[Edit] = []
    for node in ast.walk(function or tree):
        if isinstance(node, ast.Call) and node.lineno == line:
            out += _callee_swaps(tree, owner, node, source, span)
            out += _rounding_swaps(tree, node, span)
    if function is not None:
        out += _inserts(tree, owner, function, line, source, span)
    return out


def _callee_swaps(tree: ast.Module, owner: ast.ClassDef | None, call: ast.Call, source: str,
                  span: Span) -> list[Edit]:
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return []
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
            func.value.id in ("self", "cls") and owner is not None:
        family, old, method = _functions(owner.body), func.attr, True
    elif isinstance(func, ast.Name):
        family, old, method = _functions(tree.body), func.id, False
    else:
        return []
    if old not in family:
        return []  # not one of the class's (or module's) own: nothing to choose among
    a, b = span(func)
    if not source[a:b].endswith(old):
        return []
    start = b - len(old)
    return [(start, b, name, f"callee {old} -> {name}") for name, node in family.items()
            if name != old and not name.startswith("__") and
            _accepts(node, len(call.args), method)]


def _rounding_swaps(tree: ast.Module, call: ast.Call, span: Span) -> list[Edit]:
    name = _dotted(call.func)
    names = _rounding_names(tree)
    if name not in names or len(call.args) != 1 or call.keywords:
        return []
    a, b = span(call.func)
    return [(a, b, other, f"rounding {name} -> {other}") for other in names if other != name]


def _inserts(tree: ast.Module, owner: ast.ClassDef | None, function: ast.AST, line: int,
             source: str, span: Span) -> list[Edit]:
    target = _statement_at(function, line)
    if target is None:
        return []
    lines = source.splitlines(keepends=True)
    here = lines[line - 1]
    indent = here[:len(here) - len(here.lstrip())]
    start = span(target)[0] - len(indent)
    if source[start:start + len(indent)] != indent:
        return []
    bound = _bound_before(function, line) | _module_names(tree) | BUILTINS
    mine = _bound_before(function, line)
    before = lines[line - 2].strip() if line >= 2 else ""
    found: dict[str, int] = {}
    for node in ast.walk(owner or tree):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)) or \
                node.lineno != node.end_lineno or node.lineno == line:
            continue
        a, b = span(node)
        text = source[a:b]
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if text == before or text in found or not used <= bound:
            continue
        found[text] = len(used & mine)
    best = sorted(found, key=lambda t: -found[t])[:MOST_INSERTS]  # most of the line's names
    return [(start, start, f"{indent}{text}\n", f"insert {text}") for text in best]


def _owner(tree: ast.Module, function: ast.AST | None) -> ast.ClassDef | None:
    """The class `function` is a method of (not a function nested in a method), if any."""
    return next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
                 and function is not None and function in n.body), None)


def _functions(body: list[ast.stmt]) -> dict[str, ast.AST]:
    return {n.name: n for n in body if isinstance(n, FUNCTIONS)}


def _accepts(function: ast.AST, count: int, method: bool) -> bool:
    """Whether `function` can be called with `count` positional arguments."""
    args = function.args  # type: ignore[attr-defined]
    if method and any(isinstance(d, ast.Name) and d.id in ("staticmethod", "property")
                      for d in function.decorator_list):  # type: ignore[attr-defined]
        return False
    params = [*args.posonlyargs, *args.args][1 if method else 0:]
    required = len(params) - len(args.defaults)
    return required <= count and (count <= len(params) or args.vararg is not None)


def _rounding_names(tree: ast.Module) -> list[str]:
    names = ["round", "int"]
    for node in tree.body:
        if isinstance(node, ast.Import) and any(a.name == "math" and a.asname is None
                                                for a in node.names):
            names += [f"math.{n}" for n in ROUNDING[2:]]
        elif isinstance(node, ast.ImportFrom) and node.module == "math":
            names += [a.name for a in node.names if a.name in ROUNDING and a.asname is None]
    return list(dict.fromkeys(names))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return ""


def _statement_at(function: ast.AST, line: int) -> ast.stmt | None:
    """The statement that starts on `line` in the function's body (not its header)."""
    for node in ast.walk(function):
        if isinstance(node, ast.stmt) and node is not function and node.lineno == line:
            return node
    return None


def _bound_before(function: ast.AST, line: int) -> set[str]:
    """The function's parameters and the names it assigns above `line`."""
    args = function.args  # type: ignore[attr-defined]
    names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.lineno < line:
            names.add(node.id)
    return names


def _module_names(tree: ast.Module) -> set[str]:
    """The names the module binds at its top: imports, definitions, assignments."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names
