"""Recursive-descent parser for the filter language.

Grammar::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand ((OP | "in" | "contains") operand)?
    operand    := NAME | STRING | NUMBER | "true" | "false" | "null"
                | "[" [operand ("," operand)*] "]" | "(" expr ")"
"""

from dataclasses import dataclass
from typing import Any, List, Tuple

from lexer import Token, tokenize


class ParseError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    path: Tuple[str, ...]


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class ListLiteral:
    items: Tuple[Any, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" / "or"
    operands: Tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    operand: Any


CONSTANTS = {"true": True, "false": False, "null": None}


class Parser:
    def __init__(self, tokens: List[Token]):
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def _accept(self, kind: str, value: Any = None) -> bool:
        token = self.current
        if token.kind == kind and (value is None or token.value == value):
            self.index += 1
            return True
        return False

    def _expect(self, kind: str) -> Token:
        token = self.current
        if token.kind != kind:
            raise ParseError(f"expected {kind} at position {token.position}, got {token.value!r}")
        return self._advance()

    def parse(self):
        node = self._or()
        if self.current.kind != "EOF":
            raise ParseError(f"unexpected {self.current.value!r} at position {self.current.position}")
        return node

    def _or(self):
        operands = [self._and()]
        while self._accept("KEYWORD", "or"):
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def _and(self):
        operands = [self._not()]
        while self._accept("KEYWORD", "and"):
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def _not(self):
        if self._accept("KEYWORD", "not"):
            return Not(self._not())
        return self._comparison()

    def _comparison(self):
        left = self._operand()
        token = self.current
        if token.kind == "OP" or (token.kind == "KEYWORD" and token.value in ("in", "contains")):
            self._advance()
            return Compare(token.value, left, self._operand())
        return left

    def _operand(self):
        token = self._advance()
        if token.kind == "NAME":
            return Field(tuple(token.value.split(".")))
        if token.kind in ("STRING", "NUMBER"):
            return Literal(token.value)
        if token.kind == "KEYWORD" and token.value in CONSTANTS:
            return Literal(CONSTANTS[token.value])
        if token.kind == "LBRACKET":
            items = []
            if not self._accept("RBRACKET"):
                items.append(self._operand())
                while self._accept("COMMA"):
                    items.append(self._operand())
                self._expect("RBRACKET")
            return ListLiteral(tuple(items))
        if token.kind == "LPAREN":
            node = self._or()
            self._expect("RPAREN")
            return node
        raise ParseError(f"unexpected {token.value!r} at position {token.position}")


def parse(text: str):
    return Parser(tokenize(text)).parse()
