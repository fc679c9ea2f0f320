"""Evaluate parsed expressions and list their free variables."""

from __future__ import annotations

import math
from typing import Callable, Mapping

from parser import BinOp, Call, Num, Unary, Var, parse

FUNCTIONS: dict[str, Callable] = {
    "abs": abs,
    "min": min,
    "max": max,
    "sqrt": math.sqrt,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
}

CONSTANTS = {"pi": math.pi, "e": math.e}


class EvalError(ArithmeticError):
    """Runtime failure: unknown name, division by zero, bad call."""


def _divide(op: str, left, right, pos: int):
    if right == 0:
        raise EvalError(f"division by zero at column {pos}")
    if op == "/":
        if isinstance(left, int) and isinstance(right, int) and left % right == 0:
            return left // right
        return left / right
    if op == "//":
        return left // right
    return left % right


def evaluate(node, env: Mapping[str, object] | None = None,
             functions: Mapping[str, Callable] | None = None):
    """Compute the value of *node* (an AST or a source string).

    Names are looked up in *env*, then in :data:`CONSTANTS`.  Integer
    division results that are whole numbers stay integers (``6/3 == 2``).
    """
    if isinstance(node, str):
        node = parse(node)
    env = env or {}
    funcs = {**FUNCTIONS, **(functions or {})}

    def ev(n):
        if isinstance(n, Num):
            return n.value
        if isinstance(n, Var):
            if n.name in env:
                return env[n.name]
            if n.name in CONSTANTS:
                return CONSTANTS[n.name]
            raise EvalError(f"unknown variable {n.name!r} at column {n.pos}")
        if isinstance(n, Unary):
            return -ev(n.operand)
        if isinstance(n, Call):
            if n.name not in funcs:
                raise EvalError(f"unknown function {n.name!r} at column {n.pos}")
            args = [ev(a) for a in n.args]
            try:
                return funcs[n.name](*args)
            except (TypeError, ValueError) as exc:
                raise EvalError(f"{n.name}(): {exc}") from exc
        if isinstance(n, BinOp):
            left, right = ev(n.left), ev(n.right)
            if n.op == "+":
                return left + right
            if n.op == "-":
                return left - right
            if n.op == "*":
                return left * right
            if n.op in ("/", "//", "%"):
                return _divide(n.op, left, right, n.pos)
            if n.op == "^":
                if left == 0 and right < 0:
                    raise EvalError(f"zero to a negative power at column {n.pos}")
                return left ** right
        raise TypeError(f"not an expression node: {n!r}")

    return ev(node)


def free_variables(node) -> list[str]:
    """Variable names used in *node*, in order of first use, minus constants."""
    if isinstance(node, str):
        node = parse(node)
    seen: dict[str, None] = {}

    def walk(n):
        if isinstance(n, Var):
            if n.name not in CONSTANTS:
                seen.setdefault(n.name)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, BinOp):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Call):
            for arg in n.args:
                walk(arg)

    walk(node)
    return list(seen)


def make_function(source: str, *params: str) -> Callable:
    """Compile *source* into a Python function of *params*.

    Unknown free variables are reported eagerly.
    """
    node = parse(source)
    missing = [v for v in free_variables(node) if v not in params]
    if missing:
        raise EvalError(f"free variables not bound by parameters: {missing}")

    def fn(*args):
        if len(args) != len(params):
            raise TypeError(f"expected {len(params)} arguments, got {len(args)}")
        return evaluate(node, dict(zip(params, args)))

    return fn
