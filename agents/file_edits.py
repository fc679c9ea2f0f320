"""A run's result as edits: each changed file with its original text, its digest and a diff."""

from __future__ import annotations

import difflib
import hashlib

from microagent.agents.types import FileEdit
from microagent.sandbox.types import WorkspaceSnapshot


def file_edits(snapshot: WorkspaceSnapshot, files: dict[str, str]) -> list[FileEdit]:
    """`files` (path -> new text) as edits of the snapshot's files, by path."""
    edits = []
    for path, content in sorted(files.items()):
        original = snapshot.file_text(path)
        edits.append(FileEdit(path=path, original=original, content=content,
                              diff=unified_diff(path, original, content),
                              original_sha256=hashlib.sha256(original.encode()).hexdigest()))
    return edits


def diff_of(snapshot: WorkspaceSnapshot, files: dict[str, str]) -> str:
    return "".join(unified_diff(p, snapshot.file_text(p), c) for p, c in sorted(files.items()))


def unified_diff(path: str, old: str, new: str) -> str:
    """A git-style unified diff of one file, `a/path` against `b/path`; "" when equal."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile=f"a/{path}", tofile=f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
