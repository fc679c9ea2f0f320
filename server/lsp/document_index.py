"""What code actions know of the workspace without touching the disk while answering: outlines
of open documents, cached per version, and the names the workspace's test files use, read once
in a worker thread and refreshed when a test file is saved.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Iterable

from microagent.languages.language import Outline
from microagent.languages.registry import language_of_file
from microagent.sandbox.snapshot import SKIPPED_DIRS

log = logging.getLogger(__name__)
MAX_TEST_FILE_BYTES = 1_000_000
MAX_TEST_FILES = 5_000


class OutlineCache:
    """One outline per document version. While a document does not parse (the user is halfway
    through a line), its last good outline stands in, so actions do not flicker away."""

    def __init__(self) -> None:
        self._by_uri: dict[str, tuple[int | None, Outline]] = {}
        self._good: dict[str, Outline] = {}

    def get(self, uri: str, version: int | None, path: str, text: str) -> Outline:
        cached = self._by_uri.get(uri)
        if cached is not None and cached[0] == version and cached[1].path == path:
            return cached[1]
        language = language_of_file(path)
        if language is None:
            return Outline(path, is_test_file=False, parsed=False)
        result = language.outline(path, text)
        if result.parsed:
            self._good[uri] = result
        elif uri in self._good and self._good[uri].path == path:
            result = self._good[uri]
        self._by_uri[uri] = (version, result)
        return result

    def forget(self, uri: str) -> None:
        self._by_uri.pop(uri, None)
        self._good.pop(uri, None)


class TestIndex:
    """Names used by the test files on disk; open test documents are added by the caller."""

    __test__ = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, frozenset[str]] = {}  # absolute path -> names
        self.generation = 0
        self._union: tuple[tuple, frozenset[str]] = ((), frozenset())

    def scan(self, roots: Iterable[Path]) -> int:
        """Read every test file under `roots` (run this in a worker thread). Returns the count."""
        found: dict[str, frozenset[str]] = {}
        for root in roots:
            for path in _test_files(Path(root)):
                names = _names_in(path)
                if names is not None:
                    found[str(path)] = names
                if len(found) >= MAX_TEST_FILES:
                    break
        with self._lock:
            self._files.update(found)
            self.generation += 1
        return len(found)

    def update(self, path: Path) -> None:
        """A test file was saved, created or deleted."""
        if not is_test_file(path.as_posix()):
            return
        names = _names_in(path) if path.is_file() else None
        with self._lock:
            if names is None:
                self._files.pop(str(path), None)
            else:
                self._files[str(path)] = names
            self.generation += 1

    def names_used(self, open_tests: dict[str, Outline]) -> frozenset[str]:
        """Every name some test uses: open test documents (by absolute path) as the user sees
        them, the rest as saved. Cached until either side changes."""
        key = (self.generation,) + tuple(sorted((p, hash(o.names_used)) for p, o in open_tests.items()))
        if self._union[0] == key:
            return self._union[1]
        with self._lock:
            names = set().union(*(n for p, n in self._files.items() if p not in open_tests))
        for o in open_tests.values():
            names |= o.names_used
        union = frozenset(names)
        self._union = (key, union)
        return union


def _test_files(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                       and not (Path(dirpath) / d / "pyvenv.cfg").exists()]
        for name in filenames:
            path = Path(dirpath) / name
            if is_test_file(path.relative_to(root).as_posix()):
                yield path


def _names_in(path: Path) -> frozenset[str] | None:
    try:
        if path.stat().st_size > MAX_TEST_FILE_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    language = language_of_file(path.name)
    found = language.outline(path.as_posix(), text) if language else None
    return found.names_used if found is not None and found.parsed else None


def is_test_file(path: str) -> bool:
    """Whether `path` is a test file of a language served."""
    language = language_of_file(path)
    return language is not None and language.is_test_file(path)
