"""Evaluate parsed filters against records (nested dicts)."""

from typing import Any, Callable, Iterable, List, Mapping

from syntax import BoolOp, Compare, Field, ListLiteral, Literal, Not, parse

_MISSING = object()


class QueryError(ValueError):
    pass


def lookup(record: Mapping[str, Any], path) -> Any:
    """Follow ``path`` into nested mappings; a missing key gives ``None``."""
    value: Any = record
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return None
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "in":
        return right is not None and left in right
    if op == "contains":
        return left is not None and right in left
    if left is None or right is None:
        return False
    try:
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        if op == ">=":
            return left >= right
    except TypeError:
        raise QueryError(f"cannot compare {left!r} {op} {right!r}") from None
    raise QueryError(f"unknown operator {op}")


def evaluate(node, record: Mapping[str, Any]) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Field):
        return lookup(record, node.path)
    if isinstance(node, ListLiteral):
        return [evaluate(item, record) for item in node.items]
    if isinstance(node, Not):
        return not evaluate(node.operand, record)
    if isinstance(node, BoolOp):
        values = (bool(evaluate(operand, record)) for operand in node.operands)
        return all(values) if node.op == "and" else any(values)
    if isinstance(node, Compare):
        return _compare(node.op, evaluate(node.left, record), evaluate(node.right, record))
    raise QueryError(f"cannot evaluate {node!r}")


def compile_query(text: str) -> Callable[[Mapping[str, Any]], bool]:
    tree = parse(text)

    def matches(record: Mapping[str, Any]) -> bool:
        return bool(evaluate(tree, record))

    matches.source = text
    return matches


def filter_records(text: str, records: Iterable[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    matches = compile_query(text)
    return [record for record in records if matches(record)]
