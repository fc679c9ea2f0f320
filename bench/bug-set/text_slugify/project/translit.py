"""Folding Unicode text to plain ASCII for identifiers and URLs."""

from __future__ import annotations

import re
import unicodedata

#: Letters that do not decompose into base letter + accent under NFKD.
SPECIAL = {
    "ß": "ss", "ẞ": "SS",
    "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE",
    "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D",
    "þ": "th", "Þ": "TH",
    "ı": "i",
}

#: Symbols that carry meaning in titles and deserve a word.
SYMBOLS = {"&": "and", "@": "at", "%": "percent", "+": "plus"}

_APOSTROPHE_RE = re.compile(r"(?<=\w)['’](?=\w)")


def strip_apostrophes(text: str) -> str:
    """Drop apostrophes inside words: ``don't`` -> ``dont``."""
    return _APOSTROPHE_RE.sub("", text)


def expand_symbols(text: str, symbols: dict[str, str] | None = None) -> str:
    """Replace each symbol by its word, padded with spaces."""
    table = SYMBOLS if symbols is None else symbols
    return "".join(f" {table[ch]} " if ch in table else ch for ch in text)


def fold(text: str) -> str:
    """Remove accents and map special letters, keeping everything else.

    ``"Crème Brûlée"`` -> ``"Creme Brulee"``, ``"Straße"`` -> ``"Strasse"``.
    Characters without an ASCII equivalent (``"東京"``) are left as they are.
    """
    mapped = "".join(SPECIAL.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", mapped)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def to_ascii(text: str, replacement: str = "") -> str:
    """:func:`fold` and then replace any remaining non-ASCII character."""
    return "".join(ch if ord(ch) < 128 else replacement for ch in fold(text))


def split_camel(text: str) -> str:
    """Insert spaces at camel-case boundaries.

    ``"parseHTTPResponse2xx"`` -> ``"parse HTTP Response2xx"``.
    """
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", " ", text)


def prepare(text: str, camel: bool = False) -> str:
    """Full pre-processing pipeline used by :func:`slug.slugify`."""
    text = strip_apostrophes(text)
    if camel:
        text = split_camel(text)
    return to_ascii(expand_symbols(text), replacement=" ")
