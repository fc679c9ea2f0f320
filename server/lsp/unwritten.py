"""Whether a test file imports code that is not written yet (a module the workspace lacks, a name
its module does not export, a stub), so code actions can offer to generate it from the test.

The judgement is the Language's own (its `chat` part, the one the HTTP API asks of pasted
files); this module only hands it the workspace as the editor sees it: open documents over the
files on disk, read on demand. It reads the disk, so callers run it in a worker thread.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping

from microagent.languages.language import Language
from microagent.sandbox.snapshot import SKIPPED_DIRS

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 1_000_000
MAX_LISTED = 20_000  # files listed when a judgement walks the folder (a folder's index import)
CACHE_SIZE = 256


class WorkspaceFiles(Mapping[str, str]):
    """A folder's files by relative path: an open document's text first, else the file on
    disk, read when asked. Iterating walks the folder (capped), as resolving an import of a
    folder needs; membership and reading never walk."""

    def __init__(self, root: Path, overlays: Mapping[str, str]):
        self.root = root
        self.overlays = overlays

    def __getitem__(self, path: str) -> str:
        if path in self.overlays:
            return self.overlays[path]
        file = self._file(path)
        if file is None:
            raise KeyError(path)
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyError(path) from exc

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and (path in self.overlays or self._file(path) is not None)

    def __iter__(self) -> Iterator[str]:
        yield from self.overlays
        listed = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
            for name in filenames:
                rel = (Path(dirpath) / name).relative_to(self.root).as_posix()
                if rel not in self.overlays:
                    yield rel
                listed += 1
                if listed >= MAX_LISTED:
                    return

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _file(self, path: str) -> Path | None:
        """The file at `path` inside the folder: never one outside it, a folder or a huge one."""
        pure = PurePosixPath(path)
        if not path or pure.is_absolute() or ".." in pure.parts:
            return None
        file = self.root / pure
        try:
            return file if file.is_file() and file.stat().st_size <= MAX_FILE_BYTES else None
        except OSError:
            return None


def unwritten_module(language: Language, root: Path, rel: str,
                     overlays: Mapping[str, str]) -> str | None:
    """The module the test file `rel` imports that must be written before its tests can pass
    (it is missing, lacks a name the tests import, or holds stubs), or None. A module the test
    does not import (the language's default for tests that import nothing) never counts."""
    files = WorkspaceFiles(root, overlays)
    chat = language.chat
    try:
        missing = chat.missing_modules(files, [rel])  # type: ignore[arg-type]  # a Mapping
        module = chat.module_for_tests(files, [rel])  # type: ignore[arg-type]
        if module not in files and module not in missing:
            return None
        return module if chat.needs_writing(files, module, [rel]) else None  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a judgement that fails offers nothing, never an error
        log.exception("could not tell whether %s imports code not written yet", rel)
        return None


class UnwrittenCache:
    """One answer per test file, open documents and files saved: `key` holds what the answer
    depends on that the server sees change (versions of the open documents, `generation` for
    saves and files changed outside the editor)."""

    def __init__(self) -> None:
        self._answers: OrderedDict[tuple, str | None] = OrderedDict()
        self.generation = 0

    def changed(self) -> None:
        """A file was saved, closed, created or deleted: every answer may be out of date."""
        self.generation += 1
        self._answers.clear()

    def get(self, key: tuple) -> tuple[bool, str | None]:
        if key in self._answers:
            self._answers.move_to_end(key)
            return True, self._answers[key]
        return False, None

    def put(self, key: tuple, answer: str | None) -> None:
        self._answers[key] = answer
        if len(self._answers) > CACHE_SIZE:
            self._answers.popitem(last=False)
