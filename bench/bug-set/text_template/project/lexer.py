"""Split template source into text, output and block tokens.

Delimiters: ``{{ expr }}`` for output, ``{% tag %}`` for blocks and
``{# ... #}`` for comments.  A ``-`` just inside a delimiter (``{{-``,
``-%}``) strips the whitespace of the neighbouring text on that side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT = "text"
OUTPUT = "output"
BLOCK = "block"

_TAG_RE = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.S)
_OPENERS = {"{{": OUTPUT, "{%": BLOCK, "{#": None}


class TemplateSyntaxError(SyntaxError):
    """Malformed template; ``lineno`` is 1-based."""

    def __init__(self, message: str, lineno: int):
        super().__init__(f"line {lineno}: {message}")
        self.lineno = lineno


@dataclass
class Token:
    kind: str
    value: str
    lineno: int


def _check_unclosed(text: str, lineno: int) -> None:
    for opener in _OPENERS:
        pos = text.find(opener)
        if pos != -1:
            raise TemplateSyntaxError(
                f"unclosed {opener!r}", lineno + text.count("\n", 0, pos))


def tokenize(source: str) -> list[Token]:
    """Return the tokens of *source*; comments are dropped."""
    tokens: list[Token] = []
    lineno = 1
    strip_next = False
    for piece in _TAG_RE.split(source):
        if not piece:
            continue
        opener = piece[:2]
        is_tag = opener in _OPENERS and _TAG_RE.fullmatch(piece)
        if not is_tag:
            _check_unclosed(piece, lineno)
            text = piece.lstrip() if strip_next else piece
            strip_next = False
            if text:
                tokens.append(Token(TEXT, text, lineno))
            lineno += piece.count("\n")
            continue
        inner = piece[2:-2]
        if inner.startswith("-"):
            inner = inner[1:]
            if tokens and tokens[-1].kind == TEXT:
                tokens[-1].value = tokens[-1].value.rstrip()
                if not tokens[-1].value:
                    tokens.pop()
        strip_next = inner.endswith("-")
        if strip_next:
            inner = inner[:-1]
        kind = _OPENERS[opener]
        if kind is not None:
            content = inner.strip()
            if not content:
                raise TemplateSyntaxError(f"empty {piece!r}", lineno)
            tokens.append(Token(kind, content, lineno))
        lineno += piece.count("\n")
    return tokens
