"""Finds the Python code in a small model's reply: fenced blocks, the file each one names, or a
bare code reply wrapped in chatty prose, and the usable part of a reply that was cut off.

It never raises on any string and never invents code: it only cuts, dedents and re-indents.
Hand-written because a Markdown parser (markdown-it, mistune) reads a fence that was never
closed as running to the end and keeps the fence glued to a last line ("return x```") as code;
a model's reply cut off by its token limit needs both mended, and a file named on the line above.
"""

from __future__ import annotations

import ast
import re
import textwrap

from microagent.languages.language import CodeBlock
from microagent.languages.python.example_text import first_match
from microagent.languages.python.parsed import parse_module

__all__ = ["CodeBlock", "extract_code_blocks", "named_path"]


PYTHON_LANGS = {"", "python", "py", "python3", "py3", "python2", "ipython", "pycon3"}
# The info string is stripped where it is read: spaces on both sides of a lazy group made this
# pattern take cubic time on a fence followed by many spaces.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
PATH = r"[\w./][\w./\\-]*\.pyi?\b"
# A comment on the first line of a block that names the file: `# file: a/b.py`, `# a/b.py`.
PATH_COMMENT = re.compile(rf"^#\s*(?:(?:file(?:name)?|path)\s*[:=]\s*)?`?(?P<path>{PATH})`?\s*:?\s*$",
                          re.IGNORECASE)
# The line just before a fence that names the file: `File: a.py`, `**a.py**`, `### a.py`, `a.py:`.
PATH_LINE = re.compile(
    rf"^[#>*\s]*(?:(?:file(?:name)?|path)\s*[:=]\s*)?[*_`\"']*(?P<path>{PATH})[*_`\"']*\s*:?[*_\s]*$",
    re.IGNORECASE)
BACKTICKED_PATH = re.compile(rf"`(?P<path>{PATH})`|\*\*(?P<bold>{PATH})\*\*")
CODE_START = re.compile(r"^(?:async\s+def|def|class|import|from|@)\b|^@")
CODE_HINT = re.compile(r"^[ \t]*(?:async\s+def|def|class|import|from|return|if|for|while|@)\b", re.MULTILINE)
MAX_PARSE_ATTEMPTS = 200
# A line that names a file is short. The path patterns backtrack over long runs of spaces or
# word characters (quadratic), so they only ever see this much of a line: linear overall.
MAX_NAMING_LINE = 300


def extract_code_blocks(reply: str) -> list[CodeBlock]:
    """Every Python code block in `reply`, in order; [] when it holds no code."""
    if not isinstance(reply, str):
        return []
    text = reply.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = text.split("\n")
    blocks, saw_fence = _fenced_blocks(lines)
    if saw_fence:
        return blocks
    bare = _bare_code(lines)
    return [bare] if bare else []


def named_path(line: str) -> str | None:
    """The file a line of a reply names on its own: `# file: a/b.py`, `File: a.py`, `**a.py**`,
    a fence's info string `python file=a.py`; None for any other line."""
    line = line.strip()
    if not line or len(line) > MAX_NAMING_LINE:
        return None
    named = PATH_COMMENT.match(line) or PATH_LINE.match(line)
    if named:
        return _clean_path(named.group("path"))
    lang, path = _parse_info(line)
    return path if lang in PYTHON_LANGS else None


def _fenced_blocks(lines: list[str]) -> tuple[list[CodeBlock], bool]:
    blocks: list[CodeBlock] = []
    saw_fence = False
    i, opening = first_match(FENCE, lines, 0)
    while opening:
        saw_fence = True
        fence = opening.group("fence")
        lang, info_path = _parse_info(opening.group("info"))
        body: list[str] = []
        closed = False
        j = i + 1
        while j < len(lines):
            line = lines[j]
            closing = FENCE.match(line)
            if closing and closing.group("fence")[0] == fence[0] and len(closing.group("fence")) >= len(fence):
                if not closing.group("info").strip():
                    closed = True
                    break
                if closing.group("info").split()[0].lower() in PYTHON_LANGS:
                    closed = True  # a new block opened before this one was closed
                    j -= 1
                    break
            stripped = line.rstrip()
            if stripped.endswith(fence) and stripped.strip() != fence and not stripped.lstrip().startswith(fence):
                body.append(stripped[: -len(fence)])  # "return x```": the fence glued to the last line
                closed = True
                break
            body.append(line)
            j += 1
        if lang in PYTHON_LANGS:
            block = _make_block(body, closed, lang, info_path or _path_before(lines, i))
            if block:
                blocks.append(block)
        i, opening = first_match(FENCE, lines, j + 1)
    return blocks, saw_fence


def _parse_info(info: str) -> tuple[str, str | None]:
    """The language and the file named in a fence's info string: `python`, `py:a.py`, `a.py`."""
    info = info.strip()
    if not info:
        return "", None
    words = re.split(r"[\s:]+", info, maxsplit=1)
    first = words[0].lower()
    rest = words[1] if len(words) > 1 else ""
    path_match = re.search(rf"(?:title|file(?:name)?|path)?=?[\"']?(?P<path>{PATH})",
                           rest[:MAX_NAMING_LINE])
    if re.fullmatch(PATH, words[0]) and words[0].lower().endswith((".py", ".pyi")):
        return "python", _clean_path(words[0])
    if first in PYTHON_LANGS:
        return first, _clean_path(path_match.group("path")) if path_match else None
    return first, None  # another language: bash, json, text, diff...


def _path_before(lines: list[str], fence_index: int) -> str | None:
    """A file named on the last non-blank line before a fence."""
    k = fence_index - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or fence_index - k > 2:
        return None
    line = lines[k].strip()
    if len(line) > MAX_NAMING_LINE:
        return None
    whole = PATH_LINE.match(line)
    if whole:
        return _clean_path(whole.group("path"))
    if line.endswith(":"):
        named = {m.group("path") or m.group("bold") for m in BACKTICKED_PATH.finditer(line)}
        if len(named) == 1:
            return _clean_path(named.pop())
    return None


def _clean_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _make_block(body: list[str], closed: bool, lang: str, path: str | None) -> CodeBlock | None:
    body, named = _without_path_comment(body)
    path = named or path
    code = _tidy(body)
    if not code.strip():
        return None
    if not closed:
        code = _drop_unfinished_tail(code)
    elif lang == "" and not _parses(code) and not CODE_HINT.search(code):
        return None  # an unlabelled block of output or prose, not code
    return CodeBlock(path=path, code=code, complete=closed)


def _without_path_comment(body: list[str]) -> tuple[list[str], str | None]:
    for k, line in enumerate(body):
        if not line.strip():
            continue
        named = PATH_COMMENT.match(line.strip()) if len(line) <= MAX_NAMING_LINE else None
        if named:
            return body[:k] + body[k + 1:], _clean_path(named.group("path"))
        break
    return body, None


def _tidy(lines: list[str]) -> str:
    """Dedent, turn leading tabs into four spaces, drop blank edges; end with one newline."""
    fixed = []
    for line in lines:
        line = line.rstrip()
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            line = line[:indent].replace("\t", "    ") + line[indent:]
        fixed.append(line)
    while fixed and not fixed[0].strip():
        fixed.pop(0)
    while fixed and not fixed[-1].strip():
        fixed.pop()
    if not fixed:
        return ""
    return textwrap.dedent("\n".join(fixed)) + "\n"


def _drop_unfinished_tail(code: str) -> str:
    """A cut-off block: keep it if it parses, else drop trailing definitions until it does."""
    if _parses(code):
        return code
    lines = code.split("\n")
    starts = [k for k, line in enumerate(lines) if k > 0 and CODE_START.match(line)]
    for k in reversed(starts[-MAX_PARSE_ATTEMPTS:]):
        while k > 0 and lines[k - 1].startswith("@"):
            k -= 1
        head = "\n".join(lines[:k]).rstrip()
        if head and _parses(head):
            return head + "\n"
    return code


def _bare_code(lines: list[str]) -> CodeBlock | None:
    """A reply with no fences: all code, or code between lines of chat."""
    whole = _tidy(lines)
    if whole and _parses(whole) and _is_code(whole):
        return _bare_block(lines, 0, len(lines))
    starts = [k for k, line in enumerate(lines) if CODE_START.match(line)][:10]
    if not starts:
        return None
    attempts = 0
    for start in starts:
        for end in range(len(lines), start, -1):
            if not lines[end - 1].strip():
                continue
            attempts += 1
            if attempts > MAX_PARSE_ATTEMPTS:
                break
            code = _tidy(lines[start:end])
            if _parses(code) and _is_code(code):
                return _bare_block(lines, start, end)
    # Code that does not parse: hand it over whole, so the syntax error can be shown to the model.
    return _bare_block(lines, starts[0], len(lines))


def _bare_block(lines: list[str], start: int, end: int) -> CodeBlock | None:
    body, named = _without_path_comment(lines[start:end])
    code = _tidy(body)
    if not code:
        return None
    return CodeBlock(path=named or _path_before(lines, start), code=code, complete=True)


def _is_code(code: str) -> bool:
    """Parses as more than a bare word or number (a one-word reply parses as Python too)."""
    tree = parse_module(code)
    if tree is None:
        return False
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Constant)))
               for node in tree.body)


def _parses(code: str) -> bool:
    return parse_module(code) is not None
