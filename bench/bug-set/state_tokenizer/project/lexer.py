"""Tokenizer for the record filter language.

Example::

    status == "open" and (priority >= 2 or tags contains "urgent")

Strings use double or single quotes and understand the escapes ``\\n``,
``\\t``, ``\\\\`` and an escaped quote; numbers are integers or decimals;
identifiers may contain dots to reach into nested records.
"""

from dataclasses import dataclass
from typing import List, Union

KEYWORDS = {"and", "or", "not", "in", "contains", "true", "false", "null"}
OPERATORS = ("==", "!=", "<=", ">=", "<", ">")
PUNCTUATION = {"(": "LPAREN", ")": "RPAREN", "[": "LBRACKET", "]": "RBRACKET", ",": "COMMA"}
ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


class LexError(ValueError):
    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.position = position


@dataclass(frozen=True)
class Token:
    kind: str  # NAME, STRING, NUMBER, OP, KEYWORD, punctuation kinds, EOF
    value: Union[str, int, float, None]
    position: int


class Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def tokens(self) -> List[Token]:
        result = []
        while True:
            token = self._next()
            result.append(token)
            if token.kind == "EOF":
                return result

    def _next(self) -> Token:
        self._skip_space()
        if self.pos >= len(self.text):
            return Token("EOF", None, self.pos)
        ch = self.text[self.pos]
        if ch in "\"'":
            return self._string()
        if ch.isdigit() or (ch == "-" and self._peek(1).isdigit()):
            return self._number()
        if ch.isalpha() or ch == "_":
            return self._name()
        if ch in PUNCTUATION:
            self.pos += 1
            return Token(PUNCTUATION[ch], ch, self.pos - 1)
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                return Token("OP", op, self.pos - len(op))
        raise LexError(f"unexpected character {ch!r}", self.pos)

    def _peek(self, offset: int) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _string(self) -> Token:
        start = self.pos
        quote = self.text[self.pos]
        self.pos += 1
        chars = []
        while True:
            if self.pos >= len(self.text):
                raise LexError("unterminated string", start)
            ch = self.text[self.pos]
            if ch == "\\":
                escaped = self._peek(1)
                if escaped not in ESCAPES:
                    raise LexError(f"unknown escape \\{escaped}", self.pos)
                chars.append(ESCAPES[escaped])
                self.pos += 2
                continue
            self.pos += 1
            if ch == quote:
                return Token("STRING", "".join(chars), start)
            chars.append(ch)

    def _number(self) -> Token:
        start = self.pos
        if self.text[self.pos] == "-":
            self.pos += 1
        while self._peek(0).isdigit():
            self.pos += 1
        is_float = self._peek(0) == "." and self._peek(1).isdigit()
        if is_float:
            self.pos += 1
            while self._peek(0).isdigit():
                self.pos += 1
        text = self.text[start:self.pos]
        return Token("NUMBER", float(text) if is_float else int(text), start)

    def _name(self) -> Token:
        start = self.pos
        while self.pos < len(self.text) and (
            self.text[self.pos].isalnum() or self.text[self.pos] in "_."
        ):
            self.pos += 1
        word = self.text[start:self.pos]
        if word.endswith(".") or ".." in word:
            raise LexError(f"bad name {word!r}", start)
        if word in KEYWORDS:
            return Token("KEYWORD", word, start)
        return Token("NAME", word, start)


def tokenize(text: str) -> List[Token]:
    return Lexer(text).tokens()
