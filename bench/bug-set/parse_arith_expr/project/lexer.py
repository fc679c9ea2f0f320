"""Tokenizer for arithmetic expressions."""

from __future__ import annotations

from dataclasses import dataclass

OPERATORS = ("//", "**", "+", "-", "*", "/", "%", "^", "(", ")", ",")
NUMBER = "NUMBER"
NAME = "NAME"
OP = "OP"
END = "END"


class ExprSyntaxError(SyntaxError):
    """Bad input; ``pos`` is the 0-based column of the offending character."""

    def __init__(self, message: str, pos: int):
        super().__init__(f"{message} at column {pos}")
        self.pos = pos


@dataclass(frozen=True)
class Token:
    kind: str
    value: object
    pos: int

    def is_op(self, *values: str) -> bool:
        return self.kind == OP and self.value in values


def _scan_number(text: str, i: int) -> tuple[object, int]:
    """Scan ``12``, ``1.5``, ``.5``, ``2e-3``; ints stay ints."""
    start = i
    while i < len(text) and text[i].isdigit():
        i += 1
    is_float = False
    if i < len(text) and text[i] == ".":
        is_float = True
        i += 1
        while i < len(text) and text[i].isdigit():
            i += 1
    if i < len(text) and text[i] in "eE":
        j = i + 1
        if j < len(text) and text[j] in "+-":
            j += 1
        if j < len(text) and text[j].isdigit():
            is_float = True
            i = j
            while i < len(text) and text[i].isdigit():
                i += 1
    literal = text[start:i]
    if literal == ".":
        raise ExprSyntaxError("lone '.'", start)
    return (float(literal) if is_float else int(literal)), i


def tokenize(text: str) -> list[Token]:
    """Split *text* into tokens, ending with an ``END`` token.

    ``**`` is accepted as a synonym of ``^``.
    """
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or (ch == "." and text[i + 1:i + 2].isdigit()):
            value, end = _scan_number(text, i)
            tokens.append(Token(NUMBER, value, i))
            i = end
            continue
        if ch.isalpha() or ch == "_":
            start = i
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1
            tokens.append(Token(NAME, text[start:i], start))
            continue
        for op in OPERATORS:
            if text.startswith(op, i):
                tokens.append(Token(OP, "^" if op == "**" else op, i))
                i += len(op)
                break
        else:
            raise ExprSyntaxError(f"unexpected character {ch!r}", i)
    tokens.append(Token(END, None, len(text)))
    return tokens
