"""Reading the values and calls that docstring examples are written with: Python literals,
simple arithmetic, `a == b == c` chains, bracket and comma structure, trailing comments. Never
evaluates anything but literals and arithmetic on them."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator

from microagent.languages.python.parsed import parse_module

SAFE_BUILTINS = frozenset({
    "abs", "all", "any", "bin", "bool", "bytes", "chr", "complex", "dict", "divmod", "enumerate",
    "filter", "float", "frozenset", "hex", "int", "isinstance", "len", "list", "map", "max", "min",
    "oct", "ord", "pow", "print", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum",
    "tuple", "type", "zip",
})
MAX_TEXT = 4000  # longer calls or values are not examples a person wrote by hand


def expected_value(rhs: str) -> str | None:
    """The value a written example promises, as Python source, or None when unsure."""
    text = strip_comment(rhs).strip()
    if len(text) > MAX_TEXT:
        return None
    for candidate in (text.rstrip(".,;").strip(), text):
        if candidate.lower() in ("true", "false"):
            return candidate.capitalize()
        chained = _chain(candidate)
        if chained is not None:
            return chained
        value = literal(candidate)
        if value is not None:
            return value
    note = re.match(r"^(?P<value>.*?\S)\s+\([^()]*\)\s*[.,;]?$", text)  # "'No' (the name must...)"
    return literal(note.group("value")) if note else None


def _chain(text: str) -> str | None:
    """`19 - 5 - 6 = 8`: arithmetic that works out, ending in the value; the value if it does."""
    parts = re.split(r"(?<![=!<>])=(?!=)", text)
    if len(parts) < 2:
        return None
    last = literal(parts[-1].strip())
    if last is None:
        return None
    target = _arithmetic(parts[-1])
    if target is None:
        return None
    for part in parts[:-1]:
        value = _arithmetic(part)
        if value is None or not math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12):
            return None
    return last


def _arithmetic(text: str) -> float | None:
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _evaluate(node)


def _evaluate(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right if right else None
    return None


def literal(text: str) -> str | None:
    """`text` if it is a plain Python literal with one clear meaning, else None."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if text.startswith("(") and not isinstance(value, tuple):
        return None  # ("Venus"): a one-element tuple missing its comma, or just a string?
    if _has_nan(value):
        return None
    return text


def _has_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, complex):
        return math.isnan(value.real) or math.isnan(value.imag)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_nan(v) for v in value)
    return False


# --- small text tools ---------------------------------------------------------------------------


def first_match(pattern: re.Pattern, lines: list[str], start: int) -> tuple[int, re.Match | None]:
    """The first line at or after `start` that `pattern` matches, and the match; past the end
    and None when no line does."""
    for i in range(start, len(lines)):
        found = pattern.match(lines[i])
        if found:
            return i, found
    return len(lines), None


def expression_statement(source: str) -> ast.expr | None:
    tree = parse_module(source)
    if tree is None:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    return tree.body[0].value


def calls_safely(node: ast.AST, func_name: str) -> bool:
    """Calls `func_name` and reads no name but it and a few pure builtins."""
    calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == func_name
                for n in ast.walk(node))
    names_ok = all(n.id == func_name or n.id in SAFE_BUILTINS
                   for n in ast.walk(node) if isinstance(n, ast.Name))
    forbidden = (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom, ast.Starred)
    return calls and names_ok and not any(isinstance(n, forbidden) for n in ast.walk(node))


def is_equality(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], ast.Eq)


def segment(source: str, node: ast.AST) -> str:
    return ast.get_source_segment(source, node) or ast.unparse(node)


def matching_paren(text: str, open_at: int) -> int | None:
    """The index of the bracket closing the one at `open_at`, skipping strings; None if none."""
    depth = 0
    for k, char in _outside_strings(text, open_at, one_line=True):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return k if char == ")" else None
    return None


def strip_comment(text: str) -> str:
    """`text` without a trailing `# comment` (a `#` inside a string stays)."""
    for k, char in _outside_strings(text):
        if char == "#":
            return text[:k]
    return text


def top_level_commas(text: str) -> list[int]:
    commas, depth = [], 0
    for k, char in _outside_strings(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            commas.append(k)
    return commas


def with_continuation(rhs: str, lines: list[str], i: int) -> str:
    """A value whose brackets stay open at the end of the line goes on over the next lines."""
    text = rhs
    for k in range(i + 1, min(i + 12, len(lines))):
        if _balance(strip_comment(text)) <= 0:
            break
        text += "\n" + lines[k]
    return text


def _balance(text: str) -> int:
    return sum((char in "([{") - (char in ")]}") for _, char in _outside_strings(text))


def _outside_strings(text: str, start: int = 0, *, one_line: bool = False) -> Iterator[tuple[int, str]]:
    """(index, character) for each character of `text` from `start` that is not inside a quoted
    string; with `one_line`, a string still open at a line's end stops the walk."""
    quote, k = "", start
    while k < len(text):
        char = text[k]
        if quote:
            if char == "\\":
                k += 1
            elif char == quote:
                quote = ""
            elif char == "\n" and one_line:
                return
        elif char in "'\"":
            quote = char
        else:
            yield k, char
        k += 1
