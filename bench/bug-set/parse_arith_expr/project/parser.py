"""Recursive-descent parser producing a small AST.

Grammar (lowest to highest precedence)::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '//' | '%') unary)*
    unary   := ('-' | '+') unary | power
    power   := primary ('^' unary)?
    primary := NUMBER | NAME | NAME '(' args ')' | '(' expr ')'

Binary operators are left-associative except ``^``, which is
right-associative and binds tighter than unary minus (``-2^2 == -4``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lexer import END, NAME, NUMBER, ExprSyntaxError, Token, tokenize


@dataclass(frozen=True)
class Num:
    value: object


@dataclass(frozen=True)
class Var:
    name: str
    pos: int = 0


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str
    left: object
    right: object
    pos: int = 0


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    pos: int = 0


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _expect(self, value: str) -> Token:
        if not self.current.is_op(value):
            raise ExprSyntaxError(f"expected {value!r}", self.current.pos)
        return self._advance()

    def parse(self):
        if self.current.kind == END:
            raise ExprSyntaxError("empty expression", 0)
        node = self._expr()
        if self.current.kind != END:
            raise ExprSyntaxError(f"unexpected {self.current.value!r}", self.current.pos)
        return node

    def _expr(self):
        node = self._term()
        while self.current.is_op("+", "-"):
            op = self._advance()
            right = self._term()
            node = BinOp(op.value, node, right, op.pos)
        return node

    def _term(self):
        node = self._unary()
        while self.current.is_op("*", "/", "//", "%"):
            op = self._advance()
            right = self._unary()
            node = BinOp(op.value, node, right, op.pos)
        return node

    def _unary(self):
        if self.current.is_op("-", "+"):
            op = self._advance()
            operand = self._unary()
            return operand if op.value == "+" else Unary("-", operand)
        return self._power()

    def _power(self):
        base = self._primary()
        if self.current.is_op("^"):
            op = self._advance()
            return BinOp("^", base, self._unary(), op.pos)
        return base

    def _primary(self):
        token = self.current
        if token.kind == NUMBER:
            self._advance()
            return Num(token.value)
        if token.kind == NAME:
            self._advance()
            if self.current.is_op("("):
                return Call(token.value, self._arguments(), token.pos)
            return Var(token.value, token.pos)
        if token.is_op("("):
            self._advance()
            node = self._expr()
            self._expect(")")
            return node
        found = "end of input" if token.kind == END else repr(token.value)
        raise ExprSyntaxError(f"expected a value, found {found}", token.pos)

    def _arguments(self) -> tuple:
        self._expect("(")
        args = []
        if not self.current.is_op(")"):
            args.append(self._expr())
            while self.current.is_op(","):
                self._advance()
                args.append(self._expr())
        self._expect(")")
        return tuple(args)


def parse(text: str):
    """Parse *text* into an AST."""
    return Parser(text).parse()
