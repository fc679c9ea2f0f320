"""Whether a finished run still speaks for the workspace: its tests judged the files as the run
read them, so if one the tests could import (a source file of a language served, a test runner's
setting) or one its edits touch now holds other text, in an open buffer or on disk, the result is stale. It only compares;
it never applies, sends or tells anything.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path, PurePosixPath

from pygls.workspace import Workspace

from microagent.agents.types import RunResult
from microagent.languages.registry import language_of_file
from microagent.server.lsp.workspace_view import relative

SUFFIXES = (".pyi",)  # read by the tests' imports, though no language's source
# The runners' settings: pytest's, then the ones Node, TypeScript, vitest and jest read.
SETTINGS = frozenset({"pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini",
                      "package.json", "tsconfig.json", ".babelrc", "babel.config.js"})
SETTINGS_STEMS = ("vitest.config.", "vite.config.", "jest.config.", "vitest.workspace.")


def counts(path: str) -> bool:
    """A file whose change can change what the tests say."""
    name = PurePosixPath(path).name
    return (language_of_file(name) is not None or name.endswith(SUFFIXES) or name in SETTINGS
            or name.startswith(SETTINGS_STEMS))


async def changed_files(workspace: Workspace, root: Path, result: RunResult) -> list[str]:
    """The files (relative paths) that no longer hold what the run read; empty if none."""
    expected: dict[str, str | None] = {p: d for p, d in result.read_sha256.items() if counts(p)}
    for edit in result.edits:  # None: a file the run creates must still not exist
        expected.setdefault(edit.path, result.read_sha256.get(edit.path))
    # Open buffers are read here, on the server's loop where they change; the disk in a thread.
    buffers: dict[str, str] = {}
    for doc in list(workspace.text_documents.values()):
        rel = relative(root, doc.uri)
        if rel is not None and not rel.startswith("../"):
            buffers[rel] = _sha256(doc.source.encode())
    on_disk = await asyncio.to_thread(_read_digests, root, [p for p in expected if p not in buffers])
    now = {**on_disk, **buffers}
    changed = [p for p, digest in expected.items() if now.get(p) != digest]
    added = [p for p in buffers if p not in expected and counts(p)]  # e.g. a new conftest.py
    return sorted(changed + added)


def stale_message(title: str, changed: list[str]) -> str:
    """The end of a stale run, in the "<title>: <outcome> — <details>" form editors read."""
    names = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (f"{title}: stale — {names} changed while micro-agent was running, so its result, "
            "judged against the old text, was not applied")


def _read_digests(root: Path, paths: list[str]) -> dict[str, str | None]:
    digests: dict[str, str | None] = {}
    for path in paths:
        try:
            digests[path] = _sha256((root / path).read_bytes())
        except OSError:  # gone (or never there)
            digests[path] = None
    return digests


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
