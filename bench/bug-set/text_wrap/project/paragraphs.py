"""Paragraph-level formatting built on :mod:`wrap`."""

from __future__ import annotations

import re

from wrap import fill, split_words, wrap

_BULLET_RE = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of *text*: blocks separated by one or more blank lines."""
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))
    return [block for block in blocks if block.strip()]


def fill_paragraphs(text: str, width: int = 70, indent: str = "") -> str:
    """Re-wrap every paragraph, keeping one blank line between them."""
    return "\n\n".join(
        fill(p, width, initial_indent=indent, subsequent_indent=indent)
        for p in split_paragraphs(text)
    )


def format_item(text: str, width: int, bullet: str = "- ") -> list[str]:
    """A list item with a hanging indent aligned after the bullet."""
    return wrap(text, width, initial_indent=bullet, subsequent_indent=" " * len(bullet))


def format_list(items: list[str], width: int = 70, bullet: str = "- ",
                numbered: bool = False) -> str:
    """Format *items* as a bulleted or numbered list.

    Numbered markers are right-aligned so that the texts line up:
    `` 9. ...`` / ``10. ...``.
    """
    lines = []
    marker_width = len(f"{len(items)}. ")
    for number, item in enumerate(items, start=1):
        marker = f"{number}. ".rjust(marker_width) if numbered else bullet
        lines.extend(format_item(item, width, marker))
    return "\n".join(lines)


def reflow(text: str, width: int = 70) -> str:
    """Re-wrap prose that may contain bulleted list blocks.

    Lines starting with a bullet (``-``, ``*``, ``+``, ``1.``) begin a new
    item; following indented lines continue it.  Other paragraphs are
    filled normally.
    """
    out = []
    for block in split_paragraphs(text):
        lines = block.splitlines()
        if not _BULLET_RE.match(lines[0]):
            out.append(fill(block, width))
            continue
        items: list[tuple[str, str]] = []
        for line in lines:
            match = _BULLET_RE.match(line)
            if match:
                items.append((match.group(0).lstrip(), line[match.end():]))
            elif items:
                marker, body = items[-1]
                items[-1] = (marker, body + " " + line.strip())
        out.append("\n".join(
            "\n".join(format_item(body, width, marker)) for marker, body in items))
    return "\n\n".join(out)


def shorten(text: str, width: int, placeholder: str = " [...]") -> str:
    """Collapse whitespace and truncate at a word boundary to fit *width*.

    If even the first word does not fit with the placeholder, only the
    placeholder (stripped) is returned.
    """
    words = split_words(text)
    joined = " ".join(words)
    if len(joined) <= width:
        return joined
    kept: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (1 if kept else 0)
        if length + extra + len(placeholder) > width:
            break
        kept.append(word)
        length += extra
    if not kept:
        return placeholder.strip()
    return " ".join(kept) + placeholder
