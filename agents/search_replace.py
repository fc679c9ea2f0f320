"""Edits as a model writes them: SEARCH/REPLACE blocks (aider's format) that quote the lines to
change and give their replacement, so a one-line fix in a 40-line function costs a few decoded
lines instead of the whole function.

Small models quote imperfectly, so a block is placed by the first of three matches that finds
exactly one place: the text as written; the lines with their indentation ignored (the
replacement re-indented by the same amount); the window of lines most like the quote, when it is
clearly the likeliest and each of its lines opens with the same word as the quoted one (a quote
that already holds the fix still finds the line it fixes; a misquote never replaces a `let` or
a `return` it did not quote). A
block that matches nowhere, or in two places, is a problem said back to the model, never a
guess. A block without its `=======` line holds the lines as they should be: it is placed like
a quote that already holds the fix. Pure text: the caller checks that the result still parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable, Iterable

SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\b.*$")
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\b.*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
OPENING = re.compile(r"\s*([A-Za-z_$][\w$]*|\S?)")
SIMILAR = 0.8  # the least likeness for a window to stand for a misquoted SEARCH
CLEARLY = 0.05  # how much likelier than the next window that one must be
HINT = 0.6  # the least likeness for a window to be shown back as what the quote may mean


@dataclass(frozen=True)
class EditBlock:
    path: str | None  # the file named before the block, if one was
    search: str
    replace: str
    divided: bool = True  # False: it had no `=======` line (search and replace are its lines)


def has_edit_blocks(reply: str) -> bool:
    return isinstance(reply, str) and any(SEARCH.match(line) for line in reply.splitlines())


def edit_blocks(reply: str, path_of: Callable[[str], str | None]) -> tuple[list[EditBlock], int]:
    """The complete blocks of `reply` in order, each with the file last named above it
    (`path_of(line)` reads a line that names a file), and how many blocks were cut off."""
    blocks: list[EditBlock] = []
    cut = 0
    path: str | None = None
    lines = reply.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        if not SEARCH.match(lines[i]):
            if not FENCE.match(lines[i]) or len(lines[i].strip()) > 3:
                path = path_of(_fence_info(lines[i])) or path
            i += 1
            continue
        search, replace, j = [], [], i + 1
        while j < len(lines) and not DIVIDER.match(lines[j]) and not SEARCH.match(lines[j]) \
                and not REPLACE.match(lines[j]):
            search.append(lines[j])
            j += 1
        if j < len(lines) and REPLACE.match(lines[j]):  # no divider: the lines as they should be
            blocks.append(EditBlock(path, _text(search), _text(search), divided=False))
            i = j + 1
            continue
        if j < len(lines) and DIVIDER.match(lines[j]):
            j += 1
            while j < len(lines) and not REPLACE.match(lines[j]) and not SEARCH.match(lines[j]):
                replace.append(lines[j])
                j += 1
        if j < len(lines) and REPLACE.match(lines[j]):
            blocks.append(EditBlock(path, _text(search), _text(replace)))
            j += 1
        else:
            cut += 1
        i = j
    return blocks, cut


def apply_block(source: str, block: EditBlock) -> tuple[str | None, str]:
    """`source` with the block applied, or None and why it could not be placed."""
    if not block.search.strip():
        return None, "its SEARCH part is empty: quote the lines of the file to change"
    lines = source.splitlines(keepends=True)
    search = block.search.splitlines(keepends=True)
    replace = block.replace.splitlines(keepends=True)
    exact = _places(lines, search, lambda a, b: a.rstrip() == b.rstrip())
    if len(exact) == 1:
        return _spliced(lines, exact[0], len(search), replace, 0), ""
    if len(exact) > 1:
        return None, f"its SEARCH lines occur {len(exact)} times: quote more lines around the change"
    loose = _places(lines, search, lambda a, b: a.strip() == b.strip())
    if len(loose) == 1:
        return _spliced(lines, loose[0], len(search), replace, _shift(lines, loose[0], search)), ""
    if len(loose) > 1:
        return None, f"its SEARCH lines occur {len(loose)} times: quote more lines around the change"
    near = _likeliest(lines, search)
    if near is None:
        return None, ("its SEARCH lines are not in the file: copy them exactly from the code shown"
                      + _nearest(lines, search))
    return _spliced(lines, near, len(search), replace, _shift(lines, near, search)), ""


def _text(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "".join(line + "\n" for line in lines)


def _fence_info(line: str) -> str:
    """A fence's info string (```python file=a.py) is read for a path like any other line."""
    match = FENCE.match(line)
    return line[match.end():] if match else line


def _places(lines: list[str], search: list[str], same: Callable[[str, str], bool]) -> list[int]:
    n = len(search)
    return [i for i in range(len(lines) - n + 1) if all(same(lines[i + k], search[k]) for k in range(n))]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shift(lines: list[str], at: int, search: list[str]) -> int:
    """How much deeper the file indents the quoted lines than the quote did."""
    for k, quoted in enumerate(search):
        if quoted.strip() and lines[at + k].strip():
            return _indent(lines[at + k]) - _indent(quoted)
    return 0


def _spliced(lines: list[str], at: int, n: int, replace: list[str], shift: int) -> str:
    moved = [_moved(line, shift) for line in replace]
    if moved and not moved[-1].endswith("\n") and at + n < len(lines):
        moved[-1] += "\n"
    return "".join(lines[:at] + moved + lines[at + n:])


def _moved(line: str, shift: int) -> str:
    if not line.strip() or shift == 0:
        return line
    if shift > 0:
        return " " * shift + line
    return line[min(-shift, _indent(line)):]


def _likeliest(lines: list[str], search: list[str]) -> int | None:
    """The one window of the quote's length most like it, when it is like enough and clearly
    likelier than any other."""
    quote = _squeezed(search)
    openings = _openings(search)
    scores = sorted(((SequenceMatcher(None, quote, _squeezed(lines[i:i + len(search)])).ratio(), i)
                     for i in range(len(lines) - len(search) + 1)
                     if _openings(lines[i:i + len(search)]) == openings), reverse=True)
    if not scores or scores[0][0] < SIMILAR:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < CLEARLY:
        return None
    return scores[0][1]


def _nearest(lines: list[str], search: list[str]) -> str:
    """The file's lines most like an unplaced quote, for the model to copy next time (as aider
    shows them); "" when none is like it at all."""
    quote = _squeezed(search)
    best = max(((SequenceMatcher(None, quote, _squeezed(lines[i:i + len(search)])).ratio(), -i)
                for i in range(len(lines) - len(search) + 1)), default=(0.0, 0))
    if best[0] < HINT:
        return ""
    window = "".join(lines[-best[1]:-best[1] + len(search)]).rstrip("\n")
    return f"; the lines most like them are:\n{window}"


def _squeezed(lines: Iterable[str]) -> str:
    return "\n".join(line.strip() for line in lines)


def _openings(lines: Iterable[str]) -> list[str]:
    """Each line's first word (or first character): a keyword, a name, a bracket."""
    return [match.group(1) if (match := OPENING.match(line)) else "" for line in lines]
