"""Alignment of wrapped lines: full justification, centring, right alignment."""

from __future__ import annotations

from wrap import wrap


def justify_line(line: str, width: int) -> str:
    """Stretch *line* to exactly *width* by widening the gaps between words.

    Extra spaces go to the leftmost gaps first.  Lines with a single word,
    or already at least *width* long, are returned unchanged.
    """
    words = line.split()
    if len(words) < 2 or len(line) >= width:
        return line
    gaps = len(words) - 1
    spaces = width - sum(len(w) for w in words)
    base, extra = divmod(spaces, gaps)
    out = []
    for i, word in enumerate(words[:-1]):
        out.append(word)
        out.append(" " * (base + (1 if i < extra else 0)))
    out.append(words[-1])
    return "".join(out)


def justify(text: str, width: int) -> str:
    """Wrap *text* and fully justify every line except the last."""
    lines = wrap(text, width)
    if not lines:
        return ""
    body = [justify_line(line, width) for line in lines[:-1]]
    return "\n".join(body + [lines[-1]])


def center_line(line: str, width: int, fill: str = " ") -> str:
    """Centre *line*; when the padding is odd the extra character goes right."""
    line = line.strip()
    padding = max(width - len(line), 0)
    left = padding // 2
    return fill * left + line + fill * (padding - left)


def align(text: str, width: int, how: str = "left") -> str:
    """Wrap *text* and align each line ``left``, ``right``, ``center`` or
    ``justify``.  Trailing padding is kept so that every line has length
    *width* (except for ``left`` and ``justify``, which never pad)."""
    if how == "justify":
        return justify(text, width)
    lines = wrap(text, width)
    if how == "left":
        return "\n".join(lines)
    if how == "right":
        return "\n".join(line.rjust(width) for line in lines)
    if how == "center":
        return "\n".join(center_line(line, width) for line in lines)
    raise ValueError(f"unknown alignment {how!r}")


def boxed(text: str, width: int) -> str:
    """Wrap *text* inside an ASCII box whose outer width is *width*."""
    inner = width - 4
    if inner < 1:
        raise ValueError("box too narrow")
    lines = wrap(text, inner) or [""]
    edge = "+" + "-" * (width - 2) + "+"
    middle = [f"| {line.ljust(inner)} |" for line in lines]
    return "\n".join([edge, *middle, edge])
