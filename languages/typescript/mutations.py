"""Mechanical one-edit candidates for a line of TypeScript or JavaScript, the classic
program-repair operators (PraPR, TBar) as languages/python/mutations.py makes them for Python:
comparison, equality, arithmetic and logical operator swaps, `!` dropped or added to a
condition, one side of `&&`/`||` dropped, ±1 on integers and on indices and arguments, a `± 1`
dropped, `++`/`--` and `+=`/`-=` swapped, `true`/`false` swapped, two arguments swapped, and the
library methods people confuse (`Math.min`/`Math.max`, `floor`/`ceil`, `slice` bounds aside:
`startsWith`/`endsWith`, `indexOf`/`lastIndexOf`, `some`/`every`...). No model: each mutant is
one small change, and the tests decide.

Edits are made on the source at the byte positions tree-sitter gives (the rest of the line, its
spacing and comments stay as they were), and every mutant must parse. Never a regex.
"""

from __future__ import annotations


import tree_sitter

from microagent.languages.language import Mutant
from microagent.languages.typescript.parsed import Parsed, parse

SWAPS = {"<": ["<=", ">"], "<=": ["<", ">="], ">": [">=", "<"], ">=": [">", "<="],
         "===": ["!=="], "!==": ["==="], "==": ["!="], "!=": ["=="],
         "+": ["-"], "-": ["+"], "*": ["/"], "/": ["*"], "%": ["/"],
         "&&": ["||"], "||": ["&&", "??"], "??": ["||"]}
ASSIGN_SWAPS = {"+=": "-=", "-=": "+=", "*=": "/=", "/=": "*="}
UPDATE_SWAPS = {"++": "--", "--": "++"}
# Methods whose twin is a common slip; the call's receiver and arguments stay.
METHOD_SWAPS = {"min": "max", "max": "min", "floor": "ceil", "ceil": "floor", "round": "floor",
                "startsWith": "endsWith", "endsWith": "startsWith",
                "indexOf": "lastIndexOf", "lastIndexOf": "indexOf", "some": "every",
                "every": "some", "toUpperCase": "toLowerCase", "toLowerCase": "toUpperCase",
                "push": "unshift", "unshift": "push", "pop": "shift", "shift": "pop",
                "trimStart": "trimEnd", "trimEnd": "trimStart", "padStart": "padEnd",
                "padEnd": "padStart", "find": "findLast", "findIndex": "findLastIndex"}
ORDERED = {"-", "/", "%"}  # operands swapped give another value
CONDITIONS = {"if_statement", "while_statement", "do_statement", "ternary_expression"}

# Tried first to last on a line, and how often each kind is the fix, roughly (off-by-one
# boundaries first), as languages/python/mutations.py weighs them.
WEIGHTS = {"<": 1.0, "<=": 1.0, ">": 1.0, ">=": 1.0, "drop": 0.9, "±1": 0.8, "+": 0.8, "-": 0.8,
           "*": 0.7, "/": 0.7, "%": 0.7, "+=": 0.8, "-=": 0.8, "*=": 0.6, "/=": 0.6, "++": 0.7,
           "--": 0.7, "add not": 0.7, "===": 0.6, "!==": 0.6, "==": 0.6, "!=": 0.6, "&&": 0.6,
           "||": 0.6, "??": 0.5, "method": 0.7, "boolean": 0.6, "swap": 0.5}
SWAP_WEIGHTS = {"< -> >": 0.6, "<= -> >=": 0.6, "> -> <": 0.6, ">= -> <=": 0.6}


def mutants(path: str, source: str, line: int, *, check: bool = True) -> list[Mutant]:
    """Every single-edit mutant of the expressions and statement on `line` that differs from
    `source`, without duplicates, the likeliest kinds first; with `check`, only those that
    parse (a caller that will try few of many may check each with `parses` instead)."""
    try:
        parsed = parse(path, source)
    except ValueError:
        return []
    if parsed.has_errors:
        return []
    edits: list[tuple[int, int, str, str]] = []  # (start byte, end byte, new text, kind)
    for node in _nodes_on(parsed.root, line - 1):
        edits += _edits(parsed, node)
    data = parsed.source
    found: dict[str, Mutant] = {}
    for start, end, text, kind in sorted(edits, key=lambda e: -WEIGHTS.get(_head(e[3]), 0.5)):
        changed = (data[:start] + text.encode() + data[end:]).decode("utf-8", "surrogatepass")
        if changed != source and changed not in found and (not check or parses(path, changed)):
            found[changed] = Mutant(line, kind, changed, _weight(kind))
    return list(found.values())


def parses(path: str, source: str) -> bool:
    try:
        return not parse(path, source).has_errors
    except ValueError:
        return False


def _nodes_on(root: tree_sitter.Node, row: int) -> list[tree_sitter.Node]:
    """The nodes that start on `row`, and the conditions of statements that do."""
    found: list[tree_sitter.Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.start_point.row > row or node.end_point.row < row:
            continue
        if node.start_point.row == row:
            found.append(node)
        stack.extend(node.children)
    return found


def _edits(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    kind = node.type
    if kind == "binary_expression":
        return _binary(parsed, node)
    if kind == "unary_expression" and _operator(node) == "!":
        operand = node.child_by_field_name("argument")
        return [(node.start_byte, node.end_byte, parsed.text(operand), "drop !")] if operand else []
    if kind == "augmented_assignment_expression":
        op = _operator(node)
        token = _operator_node(node)
        return [(token.start_byte, token.end_byte, ASSIGN_SWAPS[op], f"{op} -> {ASSIGN_SWAPS[op]}")] \
            if token is not None and op in ASSIGN_SWAPS else []
    if kind == "update_expression":
        token = next((c for c in node.children if c.type in UPDATE_SWAPS), None)
        return [(token.start_byte, token.end_byte, UPDATE_SWAPS[token.type],
                 f"{token.type} -> {UPDATE_SWAPS[token.type]}")] if token is not None else []
    if kind == "number":
        return _numbers(parsed, node)
    if kind in ("true", "false"):
        return [(node.start_byte, node.end_byte, "false" if kind == "true" else "true", "boolean")]
    if kind in CONDITIONS:
        return _negated_condition(parsed, node)
    if kind == "call_expression":
        return _call(parsed, node)
    if kind == "subscript_expression":
        index = node.child_by_field_name("index")
        return _plus_minus_one(parsed, index) if index is not None else []
    return []


def _binary(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    op = _operator(node)
    token = _operator_node(node)
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if token is None or left is None or right is None:
        return []
    edits = [(token.start_byte, token.end_byte, new, f"{op} -> {new}") for new in SWAPS.get(op, [])]
    if op in ("&&", "||", "??"):  # a condition dropped
        edits += [(node.start_byte, node.end_byte, parsed.text(left), f"drop {op} right"),
                  (node.start_byte, node.end_byte, parsed.text(right), f"drop {op} left")]
    if op in ("+", "-") and right.type == "number" and parsed.text(right) == "1":
        edits.append((node.start_byte, node.end_byte, parsed.text(left), f"drop {op} 1"))
    if op in ORDERED:
        edits.append((node.start_byte, node.end_byte,
                      f"{parsed.text(right)} {op} {parsed.text(left)}", f"swap {op} operands"))
    return edits


def _numbers(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    text = parsed.text(node)
    if not text.isdigit():  # 0x1f, 1e3, 1.5, 1_000: left as written
        return []
    value = int(text)
    return [(node.start_byte, node.end_byte, str(v), "±1") for v in (value + 1, value - 1) if v >= 0]


def _plus_minus_one(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    if node.type == "number" or (node.type == "binary_expression" and _operator(node) in ("+", "-")
                                 and node.child_by_field_name("right") is not None
                                 and node.child_by_field_name("right").type == "number"):
        return []  # the number's own ±1 does it
    text = parsed.text(node)
    if node.type not in ("identifier", "member_expression", "call_expression",
                         "parenthesized_expression", "subscript_expression"):
        text = f"({text})"
    return [(node.start_byte, node.end_byte, f"{text} {sign} 1", "±1") for sign in ("+", "-")]


def _negated_condition(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    condition = node.child_by_field_name("condition")
    if condition is None:
        return []
    inner = condition.named_children[0] if condition.type == "parenthesized_expression" \
        and condition.named_children else condition
    if inner.type == "unary_expression" and _operator(inner) == "!":
        return []  # dropping it is the `!` rule's
    text = parsed.text(inner)
    simple = inner.type in ("identifier", "member_expression", "call_expression",
                            "parenthesized_expression")
    return [(inner.start_byte, inner.end_byte, f"!{text}" if simple else f"!({text})", "add not")]


def _call(parsed: Parsed, node: tree_sitter.Node) -> list[tuple[int, int, str, str]]:
    edits = []
    callee = node.child_by_field_name("function")
    if callee is not None and callee.type == "member_expression":
        name = callee.child_by_field_name("property")
        twin = METHOD_SWAPS.get(parsed.text(name)) if name is not None else None
        if name is not None and twin:
            edits.append((name.start_byte, name.end_byte, twin,
                          f"method {parsed.text(name)} -> {twin}"))
    arguments = node.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] \
        if arguments is not None and arguments.type == "arguments" else []
    if len(values) == 2 and parsed.text(values[0]) != parsed.text(values[1]):
        first, second = values
        edits.append((first.start_byte, second.end_byte,
                      parsed.text(second) + parsed.source[first.end_byte:second.start_byte].decode()
                      + parsed.text(first), "swap arguments"))
    for value in values:
        if value.type in ("identifier", "member_expression", "binary_expression"):
            edits += _plus_minus_one(parsed, value)
    return edits


def _operator_node(node: tree_sitter.Node) -> tree_sitter.Node | None:
    found = node.child_by_field_name("operator")
    if found is not None:
        return found
    return next((c for c in node.children if not c.is_named), None)


def _operator(node: tree_sitter.Node) -> str:
    token = _operator_node(node)
    return token.type if token is not None else ""


def _weight(kind: str) -> float:
    return SWAP_WEIGHTS.get(kind, WEIGHTS.get(_head(kind), 0.5))


def _head(kind: str) -> str:
    """The operator a mutant changes (`<` of `< -> <=`), or its family (`drop`, `swap`...)."""
    for family in ("drop", "swap", "method"):
        if kind.startswith(family):
            return family
    return kind.split(" -> ")[0] if " -> " in kind else kind
