"""Mechanical one-edit candidates for a line of code, the classic program-repair operators
(PraPR, TBar): comparison, arithmetic and boolean operator swaps, `not` dropped or added, a
null check for a bare truth test, ±1 on integers and on operands, a `± 1` dropped, another
local variable returned; the literal and numbering slips: a run of integers in a literal
(`(11, 12)`) one longer or shorter at either end, a power-of-ten constant off by a factor of
1,000 (milli- for micro-), numbering from 0 or from 1 (`range(n)` / `range(1, n + 1)`,
`enumerate`), and an argument missing the factor its siblings have (`s * h, m` -> `s * h, s * m`);
and the call slips (languages/python/call_mutations.py: another method or function of the same
shape called, another rounding function, a call statement from elsewhere in the class put in).
No model: each mutant is one small, plausible change, and the tests decide.

Edits are made on the source text at the positions `ast` gives (the rest of the line, its
spacing and comments stay as they were), and every mutant must parse. Never a regex.
"""

from __future__ import annotations

import ast
import io
import tokenize

from microagent.languages.language import Mutant
from microagent.languages.python.call_mutations import call_edits
from microagent.languages.python.parsed import FUNCTIONS, parse_module

SWAPS = {
    ast.Lt: ["<=", ">"], ast.LtE: ["<", ">="], ast.Gt: [">=", "<"], ast.GtE: [">", "<="],
    ast.Eq: ["!="], ast.NotEq: ["=="], ast.Is: ["is not"], ast.IsNot: ["is"],
    ast.In: ["not in"], ast.NotIn: ["in"],
    ast.Add: ["-"], ast.Sub: ["+"], ast.Mult: ["/", "//"], ast.Div: ["*", "//"],
    ast.FloorDiv: ["/", "%", "*"], ast.Mod: ["//"], ast.And: ["or"], ast.Or: ["and"],
}
OPERATOR_TOKENS = {"<", "<=", ">", ">=", "==", "!=", "is", "not", "in", "+", "-", "*", "**", "/", "//",
                   "%", "and", "or", "+=", "-=", "*=", "/=", "//="}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
# Tried first to last on a line: off-by-one comparisons and operators before values and names.
ORDER = ("<", "<=", ">", ">=", "==", "!=", "is", "in", "not in", "is not", "+", "-", "*", "/",
         "//", "%", "and", "or", "+=", "-=", "*=", "/=", "drop", "add not", "truth test", "±1",
         "return", "numbering", "run", "sibling", "constant", "swap", "rounding", "callee", "scale",
         "insert")
AUG_SWAPS = {ast.Add: "-=", ast.Sub: "+=", ast.Mult: "/=", ast.Div: "*=", ast.FloorDiv: "*="}
# Operators whose operands, swapped, give another value: `len(a) - len(b)`, `n ** 2`, `i % j`.
ORDERED_OPERATORS = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


# How often each kind of one-edit change is the fix, roughly (off-by-one boundaries first): a
# mutant's priority is its line's suspiciousness times its kind's weight.
WEIGHTS = {"<": 1.0, "<=": 1.0, ">": 1.0, ">=": 1.0, "drop": 0.9, "±1": 0.8, "+": 0.8, "-": 0.8,
           "*": 0.7, "/": 0.7, "//": 0.8, "%": 0.8, "+=": 0.8, "-=": 0.8, "add not": 0.7,
           "truth test": 0.7, "==": 0.6, "!=": 0.6, "is": 0.6, "is not": 0.6, "in": 0.6,
           "not in": 0.6, "and": 0.6, "or": 0.6, "constant": 0.5, "return": 0.5,
           "numbering": 0.6, "run": 0.6, "sibling": 0.5, "swap": 0.5, "scale": 0.4,
           "rounding": 0.6, "callee": 0.4, "insert": 0.3}


# Swaps that are rarely the fix in Python 3 code: `//` made `/` turns an index into a float,
# which can pass only through an error path (an `except TypeError` that computes it again).
SWAP_WEIGHTS = {"// -> /": 0.3, "* -> //": 0.3, "< -> >": 0.6, "<= -> >=": 0.6, "> -> <": 0.6,
                ">= -> <=": 0.6}


def function_lines(source: str, name: str) -> list[int]:
    """The body lines of the function `name` (`func` or `Class.method`), top to bottom."""
    tree = parse_module(source)
    if tree is None:
        return []
    top, _, method = name.partition(".")
    for node in tree.body:
        if getattr(node, "name", None) != top:
            continue
        if method and isinstance(node, ast.ClassDef):
            node = next((m for m in node.body if isinstance(m, FUNCTIONS) and m.name == method),
                        None)
        if isinstance(node, FUNCTIONS):
            start = node.body[0].lineno
            if isinstance(node.body[0], ast.Expr) and isinstance(
                    getattr(node.body[0], "value", None), ast.Constant) and len(node.body) > 1:
                start = node.body[1].lineno  # not the docstring
            return list(range(start, (node.end_lineno or start) + 1))
    return []


def mutants(source: str, line: int, *, check: bool = True) -> list[Mutant]:
    """Every single-edit mutant of the expressions and statement on `line` that differs from
    `source`, without duplicates; with `check`, only those that parse (a caller that will try
    few of many may check each with `parses` instead)."""
    tree = parse_module(source)
    if tree is None:
        return []
    where = _Positions(source)
    edits: list[tuple[int, int, str, str]] = []  # (start, end, new text, kind)
    function = _enclosing_function(tree, line)
    negated = {id(n.operand) for n in ast.walk(tree)
               if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub)}
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) == line and id(node) not in negated and \
                not isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            edits += _edits(node, source, where, function)
    edits += call_edits(tree, source, line, function, lambda n: (
        where.offset(n.lineno, n.col_offset), where.offset(n.end_lineno, n.end_col_offset)))
    found: dict[str, Mutant] = {}
    for start, end, text, kind in sorted(edits, key=lambda e: _rank(e[3])):
        changed = source[:start] + text + source[end:]
        if changed != source and changed not in found and (not check or parses(changed)):
            found[changed] = Mutant(line, kind, changed, _weight(kind))
    return list(found.values())


def parses(source: str) -> bool:
    return parse_module(source) is not None


class _Positions:
    """Character offsets in the source of `ast` positions (whose columns count UTF-8 bytes)."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines(keepends=True)
        self.starts = _line_offsets(source)

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))


def _edits(node: ast.AST, source: str, where: _Positions,
           function: ast.AST | None) -> list[tuple[int, int, str, str]]:
    def span(n: ast.AST) -> tuple[int, int]:
        return (where.offset(n.lineno, n.col_offset), where.offset(n.end_lineno, n.end_col_offset))

    def text(n: ast.AST) -> str:
        a, b = span(n)
        return source[a:b]

    out: list[tuple[int, int, str, str]] = []

    def between(left: ast.AST, right: ast.AST, old_kind: type, news: list[str]) -> None:
        a, b = span(left)[1], span(right)[0]
        gap = source[a:b]
        for token_start, token_end in _operator_in(gap):
            for new in news:
                out.append((a + token_start, a + token_end, new,
                            f"{gap[token_start:token_end]} -> {new}"))
            return

    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            between(operands[i], operands[i + 1], type(op), SWAPS.get(type(op), []))
    elif isinstance(node, ast.BinOp):
        between(node.left, node.right, type(node.op), SWAPS.get(type(node.op), []))
        if isinstance(node.op, (ast.Add, ast.Sub)) and isinstance(node.right, ast.Constant) \
                and node.right.value == 1:
            a, b = span(node)
            out.append((a, b, text(node.left), f"drop {'+' if isinstance(node.op, ast.Add) else '-'} 1"))
    elif isinstance(node, ast.BoolOp):
        for left, right in zip(node.values, node.values[1:]):
            between(left, right, type(node.op), SWAPS.get(type(node.op), []))
        if len(node.values) > 2:  # every `and` of a chain made `or`, or the other way
            out += _whole_chain(node, source, span)
    elif isinstance(node, ast.AugAssign) and type(node.op) in AUG_SWAPS:
        between(node.target, node.value, type(node.op), [AUG_SWAPS[type(node.op)]])
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        a, b = span(node)
        out.append((a, b, text(node.operand), "drop not"))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        a, b = span(node)
        for new in (node.value + 1, node.value - 1):
            out.append((a, b, str(new), f"{node.value} -> {new}"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
            isinstance(node.operand, ast.Constant) and type(node.operand.value) is int:
        a, b = span(node)  # `-1` as one number: 0 and -2, never `-0`
        for new in (1 - node.operand.value, -node.operand.value - 1):
            out.append((a, b, str(new), f"-{node.operand.value} -> {new}"))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ORDERED_OPERATORS):
        out += _swapped_operands(node, source, span, text)
    if isinstance(node, ast.Call):
        out += _swapped_arguments(node, source, span, text)
    if isinstance(node, (ast.If, ast.While, ast.IfExp)) or (
            isinstance(node, ast.Assert)):
        test = node.test
        a, b = span(test)
        if not isinstance(test, ast.UnaryOp):
            wrapped = text(test) if isinstance(test, (ast.Name, ast.Attribute, ast.Call,
                                                      ast.Subscript)) else f"({text(test)})"
            out.append((a, b, f"not {wrapped}", "add not"))
        if isinstance(test, (ast.Name, ast.Attribute, ast.Subscript)):
            out.append((a, b, f"{text(test)} is not None", "truth test -> is not None"))
    for operand, parenthesize in _operands(node):
        a, b = span(operand)
        for sign in ("+", "-"):
            changed = f"{text(operand)} {sign} 1"
            out.append((a, b, f"({changed})" if parenthesize else changed, changed))
    if isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and function is not None:
        a, b = span(node.value)
        for name in _locals(function):
            if name != node.value.id:
                out.append((a, b, name, f"return {name}"))
    return out + _literal_edits(node, span, text)


def _literal_edits(node: ast.AST, span, text) -> list[tuple[int, int, str, str]]:
    """The slips of literals and numbering (see the module's docstring)."""
    out: list[tuple[int, int, str, str]] = []
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2:
        values = [e.value if isinstance(e, ast.Constant) and type(e.value) is int else None
                  for e in node.elts]
        step = values[1] - values[0] if None not in values else 0
        if step and all(b - a == step for a, b in zip(values, values[1:])):
            a, b = span(node.elts[0])[0], span(node.elts[-1])[1]
            for run in (values + [values[-1] + step], [values[0] - step] + values, values[:-1],
                        values[1:]):
                if len(run) >= 2 or isinstance(node, ast.Tuple):
                    shown = ", ".join(map(str, run)) + ("," if len(run) == 1 else "")
                    out.append((a, b, shown, f"run ({', '.join(map(str, values))}) -> ({shown})"))
    if isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) >= 1000 \
            and str(abs(node.value)).rstrip("0") == "1":
        a, b = span(node)
        for new in (node.value * 1000, node.value // 1000):
            out.append((a, b, str(new), f"scale {node.value} -> {new}"))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        a, b = span(node)
        args = node.args
        if node.func.id == "range" and len(args) == 1:
            out.append((a, b, f"range(1, {_operand(args[0], text)} + 1)", "numbering from 1"))
        elif node.func.id == "range" and len(args) == 2 and _is_int(args[0], 1) and isinstance(
                args[1], ast.BinOp) and isinstance(args[1].op, ast.Add) and _is_int(args[1].right, 1):
            out.append((a, b, f"range({text(args[1].left)})", "numbering from 0"))
        elif node.func.id == "enumerate" and len(args) == 1:
            out.append((a, b, f"enumerate({text(args[0])}, 1)", "numbering from 1"))
        elif node.func.id == "enumerate" and len(args) == 2 and _is_int(args[1], 1):
            out.append((a, b, f"enumerate({text(args[0])})", "numbering from 0"))
    if isinstance(node, (ast.Call, ast.Tuple, ast.List)):
        items = node.args if isinstance(node, ast.Call) else node.elts
        factors = {text(i.left) for i in items if isinstance(i, ast.BinOp)
                   and isinstance(i.op, ast.Mult) and isinstance(i.left, ast.Name)}
        for item in items:
            if isinstance(item, (ast.Name, ast.Attribute)):
                for factor in sorted(factors - {text(item)}):
                    a, b = span(item)
                    out.append((a, b, f"{factor} * {text(item)}",
                                f"sibling {text(item)} -> {factor} * {text(item)}"))
    return out


def _swapped_operands(node: ast.BinOp, source: str, span, text) -> list[tuple[int, int, str, str]]:
    """`a - b` -> `b - a` (the operator written as it was, spaces included)."""
    gap = source[span(node.left)[1]:span(node.right)[0]]
    found = _operator_in(gap)
    if not found:
        return []
    start, end = found[0]
    spaced = gap[:start].endswith((" ", "\t"))
    operator = f" {gap[start:end]} " if spaced else gap[start:end]
    a, b = span(node)
    swapped = f"{_grouped(node.right, text)}{operator}{_grouped(node.left, text)}"
    return [(a, b, swapped, f"swap {text(node.left)}, {text(node.right)}")]


def _swapped_arguments(node: ast.Call, source: str, span,
                       text) -> list[tuple[int, int, str, str]]:
    """Two neighbouring positional arguments in each other's place: `isinstance(int, x)`,
    `range(n - 1, 2)`, `replace('.', ',')`."""
    out = []
    args = node.args
    for left, right in zip(args, args[1:]):
        if isinstance(left, ast.Starred) or isinstance(right, ast.Starred):
            continue
        (a, mid), (mid2, b) = span(left), span(right)
        out.append((a, b, text(right) + source[mid:mid2] + text(left),
                    f"swap arguments {text(left)}, {text(right)}"))
    return out


def _whole_chain(node: ast.BoolOp, source: str, span) -> list[tuple[int, int, str, str]]:
    """`a and b and c` -> `a or b or c`."""
    new = SWAPS[type(node.op)][0]
    a, b = span(node)
    pieces, cursor = [], a
    for left, right in zip(node.values, node.values[1:]):
        gap_start, gap_end = span(left)[1], span(right)[0]
        found = _operator_in(source[gap_start:gap_end])
        if not found:
            return []
        start, end = found[0]
        pieces.append(source[cursor:gap_start + start] + new)
        cursor = gap_start + end
    pieces.append(source[cursor:b])
    return [(a, b, "".join(pieces), f"{'and' if new == 'or' else 'or'} -> {new} (every one)")]


def _grouped(node: ast.AST, text) -> str:
    """`node`'s text, parenthesized where an operator next to it would bind first."""
    loose = isinstance(node, (ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda,
                              ast.UnaryOp, ast.NamedExpr))
    return f"({text(node)})" if loose else text(node)


def _is_int(node: ast.AST, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def _operand(node: ast.AST, text) -> str:
    """`node`'s text, parenthesized where `+ 1` after it would bind first."""
    simple = isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant))
    return text(node) if simple else f"({text(node)})"


def _rank(kind: str) -> int:
    head = _head(kind)
    return ORDER.index(head) if head in ORDER else len(ORDER)


def _weight(kind: str) -> float:
    return SWAP_WEIGHTS.get(kind, WEIGHTS.get(_head(kind), 0.5))


def _head(kind: str) -> str:
    """The operator a mutant changes (`>` of `> -> >=`), or its family (`±1`, `return`)."""
    head = kind.split(" -> ")[0] if " -> " in kind else kind
    if kind.startswith(("drop", "add not", "truth test", "return", "numbering", "run", "sibling",
                        "swap", "scale", "rounding", "callee", "insert")):
        head = max((o for o in ORDER if kind.startswith(o)), key=len)  # `insert`, not `in`
    elif kind.endswith((" + 1", " - 1")):
        head = "±1"
    elif head.lstrip("-").isdigit():
        head = "constant"
    return head


def _operands(node: ast.AST) -> list[tuple[ast.AST, bool]]:
    """Names, attributes and len() used as numbers, each with whether `± 1` needs parentheses
    there: operands of arithmetic and comparisons (yes); slice bounds, range() arguments, values
    returned or assigned (no)."""
    found: list[ast.AST] = []
    bare = True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Pow,
                                                           ast.FloorDiv, ast.Mod, ast.Div)):
        found, bare = [node.left, node.right], False
    elif isinstance(node, ast.Compare) and all(isinstance(op, ORDERING) for op in node.ops):
        found, bare = [node.left, *node.comparators], False
    elif isinstance(node, ast.Slice):
        found = [n for n in (node.lower, node.upper) if n is not None]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        found = list(node.args)
    elif isinstance(node, (ast.Return, ast.Assign)) and node.value is not None:
        found = [node.value]  # a count or an index returned or kept one off
    return [(n, not bare) for n in found
            if isinstance(n, (ast.Name, ast.Attribute)) or _is_len(n)]


def _is_len(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def _locals(function: ast.AST) -> list[str]:
    names = [a.arg for a in function.args.args if a.arg not in ("self", "cls")]
    for sub in ast.walk(function):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and sub.id not in names:
            names.append(sub.id)
    return names


def _enclosing_function(tree: ast.Module, line: int) -> ast.AST | None:
    best = None
    for node in ast.walk(tree):
        if isinstance(node, FUNCTIONS) and node.lineno <= line <= (node.end_lineno or 0):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _operator_in(gap: str) -> list[tuple[int, int]]:
    """(start, end) of the operator in the text between two operands (parentheses, spaces and
    comments around it), as tokens: `is not` and `not in` are one operator."""
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(gap).readline):
            tokens.append(token)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # an unclosed parenthesis at the gap's end: the tokens before it are enough
    lines = _line_offsets(gap)
    ops = [t for t in tokens if t.string in OPERATOR_TOKENS]
    if not ops:
        return []
    first, last = ops[0], ops[-1]
    start = lines[first.start[0] - 1] + first.start[1]
    end = lines[last.end[0] - 1] + last.end[1]
    return [(start, end)]


def _line_offsets(source: str) -> list[int]:
    offsets, total = [], 0
    for line in source.splitlines(keepends=True):
        offsets.append(total)
        total += len(line)
    offsets.append(total)
    return offsets
