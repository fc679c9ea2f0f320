"""Cell-level helpers: converting values to text, escaping, measuring."""

from __future__ import annotations

import unicodedata
from decimal import Decimal


def char_width(ch: str) -> int:
    """Columns a character occupies in a monospaced terminal or editor."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Total display width of *text* (wide CJK characters count twice)."""
    return sum(char_width(ch) for ch in text)


def format_value(value, float_digits: int | None = None) -> str:
    """Text for one cell.

    ``None`` is empty, booleans are ``yes``/``no``, floats and Decimals are
    shown with *float_digits* decimals when given.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (float, Decimal)) and float_digits is not None:
        return f"{value:.{float_digits}f}"
    return str(value)


def escape_cell(text: str) -> str:
    """Make *text* safe inside a table cell: pipes are escaped, line breaks
    become ``<br>``, surrounding whitespace is removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.strip().split("\n"))


def unescape_cell(text: str) -> str:
    """Inverse of :func:`escape_cell` (up to the stripped whitespace)."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "\\|":
            out.append(text[i + 1])
            i += 2
        elif text.startswith("<br>", i):
            out.append("\n")
            i += 4
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def split_row(line: str) -> list[str]:
    """Split one Markdown table line into raw (still escaped) cells.

    The optional leading and trailing pipes are dropped; escaped pipes do
    not split.
    """
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            current.append(line[i:i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current).strip()
    if tail or not line.endswith("|"):
        cells.append(tail)
    return cells


def looks_numeric(text: str) -> bool:
    """True for integers and decimals such as ``-12``, ``3.50``, ``1,024``."""
    candidate = text.replace(",", "").replace("_", "")
    if candidate.startswith(("-", "+")):
        candidate = candidate[1:]
    whole, _, frac = candidate.partition(".")
    return bool(whole or frac) and (whole + frac).isdigit()
