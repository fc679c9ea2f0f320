"""The fenced code blocks of a chat message, found by a CommonMark parser (markdown-it-py) in time
linear in the message, with the file each block names (`# file: a.py`, ```` ```python:a.py ````,
or `a.py:` on the line before the fence).

It reads a person's Markdown, not a model's reply: it never mends a cut-off fence (the agents'
`languages.python.replies` does that for models), and it uses no regular expression that could
backtrack over a long line.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from microagent.languages.language import ChatFiles
from microagent.languages.registry import WORKSPACE_LANGUAGE

NAME_WORDS = ("file", "filename", "path", "title")
PATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")
# Block structure only: fences inside lists and quotes are found, inline Markdown is never parsed.
_MARKDOWN = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)


@dataclass(frozen=True)
class FencedCode:
    path: str | None  # the file the message says this code belongs to, if it says
    code: str


def code_blocks(text: str, language: ChatFiles = WORKSPACE_LANGUAGE.chat) -> list[FencedCode]:
    """Every block of `text` in `language`, in order; a message with no fence that is all code
    is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    fences = [t for t in _MARKDOWN.parse(text) if t.type == "fence"]
    if not fences:
        whole = _tidy(text.split("\n"))
        return [FencedCode(*_named(whole))] if whole and language.is_code(whole) else []
    lines = text.split("\n")
    blocks = []
    for token in fences:
        lang, info_path = _info(token.info)
        if lang is not None and lang not in language.fences:
            continue
        comment_path, code = _named(_tidy(token.content.split("\n")))
        if not code.strip() or (lang == "" and not language.looks_like_code(code)):
            continue  # an unlabelled block of output or prose
        before = _path_before(lines, token.map[0]) if token.map else None
        blocks.append(FencedCode(comment_path or info_path or before, code))
    return blocks


def _info(info: str) -> tuple[str | None, str | None]:
    """The language and the file in a fence's info string: `python`, `py:a.py`, `a.py`,
    `python title="a.py"`; no language (None) where it names only the file."""
    words = info.replace(":", " ").split()
    if not words:
        return "", None
    if _as_path(words[0]):
        return None, _as_path(words[0])
    paths = [p for p in map(_as_path, words[1:]) if p]
    return words[0].lower(), paths[0] if paths else None


def _as_path(word: str) -> str | None:
    """`a/b.py` out of `a/b.py`, `file=a/b.py`, `"a/b.py"`, `**a/b.py**:`; else None."""
    key, sep, value = word.partition("=")
    if sep and key.lower() in NAME_WORDS:
        word = value
    word = word.strip("`*_\"':")
    while word.startswith("./"):
        word = word[2:]
    if word.endswith((".py", ".pyi")) and len(word) > 3 and set(word) <= PATH_CHARS:
        return word
    return None


def _named(code: str) -> tuple[str | None, str]:
    """A first line `# file: a.py` (or `# a.py`) names the file; it is not part of the code."""
    first, _, rest = code.partition("\n")
    if not first.startswith("#"):
        return None, code
    words = first.lstrip("#").replace(":", " ").split()
    if words and words[0].lower() in NAME_WORDS:
        words = words[1:]
    path = _as_path(words[0]) if len(words) == 1 else None
    return (path, _tidy(rest.split("\n"))) if path else (None, code)


def _path_before(lines: list[str], fence_line: int) -> str | None:
    """A file named alone on the last non-blank line before the fence: `File: a.py`, `### a.py`."""
    k = fence_line - 1
    while k >= 0 and k >= fence_line - 2 and not lines[k].strip():
        k -= 1
    if k < 0 or k < fence_line - 2:
        return None
    words = lines[k].lstrip("#>*- ").replace(":", " ").split()
    if words and words[0].lower() in NAME_WORDS:
        words = words[1:]
    return _as_path(words[0]) if len(words) == 1 else None


def _tidy(lines: list[str]) -> str:
    """Dedent, turn leading tabs into four spaces, drop blank edges; end with one newline.

    By slicing, not `textwrap.dedent`: that compiles the margin into a regular expression, which
    takes seconds for a line of a million spaces.
    """
    fixed = []
    for line in lines:
        line = line.rstrip()
        body = line.lstrip(" \t")
        fixed.append(line[: len(line) - len(body)].replace("\t", "    ") + body)
    kept = [k for k, line in enumerate(fixed) if line]
    if not kept:
        return ""
    fixed = fixed[kept[0]: kept[-1] + 1]
    margin = min(len(line) - len(line.lstrip(" ")) for line in fixed if line)
    return "\n".join(line[margin:] for line in fixed) + "\n"
