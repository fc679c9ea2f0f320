"""Greedy line wrapping of plain text."""

from __future__ import annotations


class WrapError(ValueError):
    """Impossible wrapping request (e.g. an indent wider than the line)."""


def split_words(text: str) -> list[str]:
    """Words of *text*; any run of whitespace separates words."""
    return text.split()


def break_long_word(word: str, width: int) -> list[str]:
    """Cut *word* into pieces of at most *width* characters.

    When a hyphen falls inside the first *width* characters (but not at the
    very start), the cut is made just after the last such hyphen, so ``"state-of-the-art"`` breaks as
    ``"state-of-"`` / ``"the-art"`` rather than in the middle of a part.
    """
    if width < 1:
        raise WrapError("width must be at least 1")
    pieces = []
    while len(word) > width:
        cut = word.rfind("-", 1, width) + 1
        if cut <= 0:
            cut = width
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def wrap(text: str, width: int = 70, initial_indent: str = "",
         subsequent_indent: str = "", break_long_words: bool = True) -> list[str]:
    """Wrap *text* into lines no longer than *width* (indent included).

    Words are packed greedily, separated by single spaces.  A word longer
    than the room on an empty line is broken with :func:`break_long_word`
    unless *break_long_words* is false, in which case it overflows on a line
    of its own.
    """
    for indent in (initial_indent, subsequent_indent):
        if len(indent) >= width:
            raise WrapError(f"indent {indent!r} leaves no room in width {width}")

    lines: list[str] = []
    current: list[str] = []
    current_len = 0
    indent = initial_indent

    def flush() -> None:
        nonlocal current, current_len, indent
        lines.append(indent + " ".join(current))
        current, current_len = [], 0
        indent = subsequent_indent

    for word in split_words(text):
        if current and current_len + 1 + len(word) <= width - len(indent):
            current.append(word)
            current_len += 1 + len(word)
            continue
        if current:
            flush()
        room = width - len(indent)
        if len(word) > room and break_long_words:
            *full, word = break_long_word(word, room)
            for piece in full:
                current, current_len = [piece], len(piece)
                flush()
            room = width - len(indent)
            while len(word) > room:
                # the subsequent indent may be wider than the initial one
                head, word = word[:room], word[room:]
                current, current_len = [head], len(head)
                flush()
        current, current_len = [word], len(word)

    if current:
        flush()
    return lines


def fill(text: str, width: int = 70, **options) -> str:
    """:func:`wrap` joined with newlines."""
    return "\n".join(wrap(text, width, **options))


def longest_line(lines: list[str]) -> int:
    """Width of the widest line (0 for no lines)."""
    return max((len(line) for line in lines), default=0)


def is_wrapped(lines: list[str], width: int) -> bool:
    """True if no line is wider than *width* and none has edge whitespace
    beyond its indent's leading spaces."""
    return all(len(line) <= width and line == line.rstrip() for line in lines)
