"""Turns a run's FileEdits into an LSP WorkspaceEdit: minimal text edits, the document versions
the run started from, and a change annotation that asks for confirmation when the user wants one.

Pure: no server, no disk. It never replaces a whole file when a smaller edit says the same.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from lsprotocol import types

from microagent.agents.types import FileEdit

ANNOTATION_ID = "microagent"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass(frozen=True)
class Target:
    """Where one FileEdit goes: its URI, the version the run saw (None: the file on disk), and
    whether the file exists (a new file is created first)."""

    uri: str
    version: int | None
    exists: bool = True


def lines_of(text: str) -> list[str]:
    """Lines with their endings, split the way LSP counts lines (\\n, \\r\\n and \\r only)."""
    return _LINE.findall(text)


def units(text: str, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """The length of `text` in the position encoding's units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def text_edits(original: str, content: str,
               encoding: str = types.PositionEncodingKind.Utf16) -> list[types.TextEdit]:
    """The smallest line-diff edits turning `original` into `content`, each trimmed to the
    characters that really differ. Ranges refer to `original`, in non-overlapping order."""
    old, new = lines_of(original), lines_of(content)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        head = _common_prefix(before, after)
        if 0 < head < len(before) and before[head - 1] == "\r" and before[head] == "\n":
            head -= 1  # a position between \r and \n does not exist
        tail = _common_suffix(before[head:], after[head:])
        cut = len(before) - tail
        if tail and before[cut] == "\n" and cut > head and before[cut - 1] == "\r":
            tail -= 1
        start, end = starts[i1] + head, starts[i2] - tail
        edits.append(types.TextEdit(
            range=types.Range(_position(original, old, starts, start, encoding),
                              _position(original, old, starts, end, encoding)),
            new_text=after[head:len(after) - tail]))
    return edits


def workspace_edit(edits: list[FileEdit], targets: dict[str, Target], *,
                   encoding: str = types.PositionEncodingKind.Utf16, confirm: bool = False,
                   label: str = "micro-agent") -> types.WorkspaceEdit:
    """`documentChanges` carrying each document's version; with `confirm`, every change points
    to one annotation with `needsConfirmation` (VS Code then shows its refactor preview)."""
    annotation = ANNOTATION_ID if confirm else None
    changes: list = []
    for edit in edits:
        target = targets[edit.path]
        if not target.exists:
            changes.append(types.CreateFile(
                uri=target.uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=True),
                annotation_id=annotation))
        pieces = text_edits(edit.original if target.exists else "", edit.content, encoding)
        if annotation:
            pieces = [types.AnnotatedTextEdit(annotation_id=annotation, range=p.range,
                                              new_text=p.new_text) for p in pieces]
        if pieces:
            changes.append(types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=target.uri, version=None if not target.exists else target.version),
                edits=pieces))
    annotations = None
    if annotation:
        files = ", ".join(e.path for e in edits)
        annotations = {annotation: types.ChangeAnnotation(
            label=label, needs_confirmation=True, description=f"micro-agent edits {files}")}
    return types.WorkspaceEdit(document_changes=changes, change_annotations=annotations)


def plain_workspace_edit(edits: list[FileEdit], targets: dict[str, Target], *,
                         encoding: str = types.PositionEncodingKind.Utf16) -> types.WorkspaceEdit:
    """For clients without `documentChanges`: the same minimal edits, without versions."""
    return types.WorkspaceEdit(changes={
        targets[e.path].uri: text_edits(e.original, e.content, encoding) for e in edits})


def _position(text: str, lines: list[str], starts: list[int], offset: int,
              encoding: str) -> types.Position:
    """The position of a character offset into `text`."""
    line = _bisect(starts, offset)
    if line >= len(lines):
        if not lines or lines[-1].endswith(("\n", "\r")):
            return types.Position(line=len(lines), character=0)  # after the last line break
        line = len(lines) - 1
    return types.Position(line=line, character=units(text[starts[line]:offset], encoding))


def _bisect(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # the last line start <= offset
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i
