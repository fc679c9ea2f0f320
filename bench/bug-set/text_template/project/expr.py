"""Expressions used inside ``{{ }}`` and ``{% if %}``.

Supported: integer/float/string literals, ``true``/``false``/``none``,
dotted names (``user.name``, ``items.0``), comparisons (``== != < > <= >=
in``), ``not``/``and``/``or``, parentheses and filter pipelines
(``name | default:'anon' | upper``).  Expressions compile to functions of
the context.
"""

from __future__ import annotations

import operator
import re
from typing import Callable, Mapping

_TOKEN_RE = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<op>==|!=|<=|>=|<|>|\||:|,|\(|\))|(?P<name>[A-Za-z_][\w.]*))"
)
_COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
    "<=": operator.le, ">=": operator.ge, "in": lambda a, b: a in b,
}
_CONSTANTS = {"true": True, "false": False, "none": None}


class ExpressionError(ValueError):
    pass


def lookup(context: Mapping, dotted: str):
    """Resolve ``a.b.0``: mapping keys, then attributes, then list indexes.
    Anything missing resolves to ``None``."""
    head, *rest = dotted.split(".")
    value = context.get(head)
    for part in rest:
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(part)
        elif hasattr(value, part):
            value = getattr(value, part)
        elif part.isdigit() and isinstance(value, (list, tuple)):
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"cannot parse {text[pos:]!r} in {text!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, filters: Mapping[str, Callable]):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.filters = filters

    def peek(self, *values):
        if self.pos < len(self.tokens):
            kind, value = self.tokens[self.pos]
            if not values or value in values:
                return value
        return None

    def take(self):
        if self.pos >= len(self.tokens):
            raise ExpressionError(f"unexpected end of {self.text!r}")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self):
        fn = self.or_expr()
        if self.pos != len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.pos][1]!r} in {self.text!r}")
        return fn

    def or_expr(self):
        fn = self.and_expr()
        while self.peek("or"):
            self.take()
            left, right = fn, self.and_expr()
            fn = lambda ctx, l=left, r=right: l(ctx) or r(ctx)
        return fn

    def and_expr(self):
        fn = self.not_expr()
        while self.peek("and"):
            self.take()
            left, right = fn, self.not_expr()
            fn = lambda ctx, l=left, r=right: l(ctx) and r(ctx)
        return fn

    def not_expr(self):
        if self.peek("not"):
            self.take()
            inner = self.not_expr()
            return lambda ctx: not inner(ctx)
        return self.comparison()

    def comparison(self):
        left = self.pipeline()
        op = self.peek(*_COMPARE)
        if op is None:
            return left
        self.take()
        right, compare = self.pipeline(), _COMPARE[op]
        return lambda ctx: compare(left(ctx), right(ctx))

    def pipeline(self):
        fn = self.primary()
        while self.peek("|"):
            self.take()
            kind, name = self.take()
            if kind != "name" or name not in self.filters:
                raise ExpressionError(f"unknown filter {name!r}")
            args = []
            if self.peek(":"):
                self.take()
                args.append(self.primary())
                while self.peek(","):
                    self.take()
                    args.append(self.primary())
            fn = (lambda ctx, f=fn, flt=self.filters[name], a=tuple(args):
                  flt(f(ctx), *(arg(ctx) for arg in a)))
        return fn

    def primary(self):
        kind, value = self.take()
        if value == "(":
            fn = self.or_expr()
            if self.take()[1] != ")":
                raise ExpressionError(f"expected ')' in {self.text!r}")
            return fn
        if kind == "num":
            number = float(value) if "." in value else int(value)
            return lambda ctx: number
        if kind == "str":
            literal = value[1:-1]
            return lambda ctx: literal
        if kind == "name":
            if value in _CONSTANTS:
                constant = _CONSTANTS[value]
                return lambda ctx: constant
            return lambda ctx: lookup(ctx, value)
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")


def compile_expression(text: str, filters: Mapping[str, Callable]):
    """Compile *text* into a function ``context -> value``."""
    return _Parser(text, filters).parse()
