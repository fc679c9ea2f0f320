"""Finds the TypeScript or JavaScript in a small model's reply: its fenced blocks and the file
each names (`// file: src/sum.ts` as the block's first line, `src/sum.ts` or `**sum.js**` on the
line above, `ts file=sum.ts` in the info string). Never raises on any string; only cuts.
"""

from __future__ import annotations

import re

from microagent.languages.language import CodeBlock

LANGS = frozenset({"", "ts", "typescript", "js", "javascript", "tsx", "jsx", "mjs", "cjs",
                   "mts", "cts", "node"})
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
PATH = r"[\w./@][\w./@\\-]*\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)\b"
# A comment line that names the file: `// file: src/sum.ts`, `// src/sum.ts`.
PATH_COMMENT = re.compile(
    rf"^(?://|#)\s*(?:(?:file(?:name)?|path)\s*[:=]\s*)?`?(?P<path>{PATH})`?\s*:?\s*$", re.I)
# A line that names the file on its own: `File: sum.ts`, `**sum.ts**`, `### sum.ts`, `sum.ts:`.
PATH_LINE = re.compile(
    rf"^[#>*\s]*(?:(?:file(?:name)?|path)\s*[:=]\s*)?[*_`\"']*(?P<path>{PATH})[*_`\"']*\s*:?[*_\s]*$",
    re.I)
MAX_NAMING_LINE = 300  # a line that names a file is short: the patterns never see more


def named_path(line: str) -> str | None:
    """The file a line of a reply names on its own, or a fence's info string names; else None."""
    line = line.strip()
    if not line or len(line) > MAX_NAMING_LINE:
        return None
    named = PATH_COMMENT.match(line) or PATH_LINE.match(line)
    if named:
        return _clean(named.group("path"))
    lang, path = _info(line)
    return path if lang in LANGS else None


def code_blocks(reply: str) -> list[CodeBlock]:
    """The reply's fenced blocks in TypeScript or JavaScript (or unlabelled), in order; a block
    the reply stopped inside runs to its end, marked incomplete."""
    lines = reply.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[CodeBlock] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        lang, path = _info(opening.group("info"))
        fence = opening.group("fence")
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence[0] * len(fence)):
            j += 1
        body = lines[i + 1:j]
        if lang in LANGS:
            named = next((PATH_COMMENT.match(b.strip()) for b in body if b.strip()), None)
            if named and len(named.string) <= MAX_NAMING_LINE:
                first = next(k for k, b in enumerate(body) if b.strip())
                body = body[:first] + body[first + 1:]
                path = _clean(named.group("path"))
            code = "\n".join(body).strip("\n")
            if code.strip():
                blocks.append(CodeBlock(path or _path_before(lines, i), code + "\n", j < len(lines)))
        i = j + 1
    return blocks


def _info(info: str) -> tuple[str, str | None]:
    """The language and the file a fence's info string names: `ts`, `ts file=a.ts`, `a.ts`."""
    info = info.strip()
    if not info:
        return "", None
    words = re.split(r"[\s:]+", info, maxsplit=1)
    if re.fullmatch(PATH, words[0]):
        return "ts", _clean(words[0])
    found = re.search(rf"(?:title|file(?:name)?|path)?=?[\"']?(?P<path>{PATH})",
                      words[1][:MAX_NAMING_LINE]) if len(words) > 1 else None
    return words[0].lower(), _clean(found.group("path")) if found else None


def _path_before(lines: list[str], fence_index: int) -> str | None:
    """A file named on the last non-blank line before a fence."""
    k = fence_index - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or fence_index - k > 2 or len(lines[k]) > MAX_NAMING_LINE:
        return None
    whole = PATH_LINE.match(lines[k].strip())
    return _clean(whole.group("path")) if whole else None


def _clean(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path
