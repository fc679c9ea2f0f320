"""The workspace as a run must see it: the folder a document belongs to, paths relative to it,
and every open document's current text and version on top of the files on disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from pygls.uris import to_fs_path
from pygls.workspace import TextDocument, Workspace


@dataclass(frozen=True)
class OpenState:
    """The open documents under a folder when a run starts: text for the run, versions for
    the edit that comes back."""

    overlays: dict[str, str]
    versions: dict[str, int | None]
    uris: dict[str, str]


def path_of(uri: str) -> Path | None:
    """The file a URI names, as the file system finds it: percent-escapes decoded, `.` and `..`
    and symbolic links resolved, so `file:///ws/../../etc/x.py` is /etc/x.py, never a file
    "inside" /ws."""
    path = to_fs_path(uri)
    return Path(os.path.realpath(path)) if path else None


def folders(workspace: Workspace) -> list[Path]:
    roots = [path_of(f.uri) for f in workspace.folders.values()]
    if not roots and workspace.root_uri:
        roots = [path_of(workspace.root_uri)]
    return [r for r in roots if r is not None]


def root_for(workspace: Workspace, uri: str) -> Path | None:
    """The innermost workspace folder (or, with none, the rootUri) holding the document; None
    when none does: a run copies and tests its root, so it is never a folder the user did not
    open (a file in /etc would make it /etc)."""
    path = path_of(uri)
    if path is None:
        return None
    holding = [r for r in folders(workspace) if r == path or r in path.parents]
    return max(holding, key=lambda r: len(r.parts)) if holding else None


def relative(root: Path, uri: str) -> str | None:
    path = path_of(uri)
    try:
        return path.relative_to(root).as_posix() if path else None
    except ValueError:
        return None


def locate(workspace: Workspace, uri: str) -> tuple[Path | None, str | None]:
    """(root_for, relative) of a document, memoised: code actions ask on every request."""
    return _locate(uri, tuple(workspace.folders), workspace.root_uri)


@lru_cache(maxsize=4096)
def _locate(uri: str, folder_uris: tuple[str, ...], root_uri: str | None) -> tuple[Path | None, str | None]:
    path = path_of(uri)
    if path is None:
        return None, None
    roots = [r for r in (path_of(u) for u in folder_uris or ((root_uri,) if root_uri else ())) if r]
    holding = [r for r in roots if r == path or r in path.parents]
    root = max(holding, key=lambda r: len(r.parts)) if holding else path.parent
    return root, relative(root, uri)


def open_document(workspace: Workspace, uri: str) -> TextDocument | None:
    return workspace.text_documents.get(unquote(uri))


def open_state(workspace: Workspace, root: Path) -> OpenState:
    overlays: dict[str, str] = {}
    versions: dict[str, int | None] = {}
    uris: dict[str, str] = {}
    for doc in list(workspace.text_documents.values()):
        rel = relative(root, doc.uri)
        if rel is None or rel.startswith("../"):
            continue
        overlays[rel], versions[rel], uris[rel] = doc.source, doc.version, doc.uri
    return OpenState(overlays, versions, uris)


def uri_for(workspace: Workspace, root: Path, rel: str) -> str:
    """The client's own URI when the document is open, else a file URI."""
    path = root / rel
    for doc in workspace.text_documents.values():
        if path_of(doc.uri) == path:
            return doc.uri
    return path.as_uri()


def current_text(workspace: Workspace, root: Path, rel: str) -> tuple[str | None, int | None]:
    """The text the user has now (open buffer, else disk; None: no such file) and its version."""
    doc = open_document(workspace, uri_for(workspace, root, rel))
    if doc is not None:
        return doc.source, doc.version
    try:  # newline="": the bytes' own line endings, as the run's snapshot read them
        with open(root / rel, encoding="utf-8", newline="") as fh:
            return fh.read(), None
    except (OSError, UnicodeDecodeError):
        return None, None
