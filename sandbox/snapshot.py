"""Builds a workspace snapshot from disk and writes it back out, to a directory or a tar.

Reading must never follow a symlink out of the root, never load caches or virtualenvs, and
writing must never place a file outside its destination, whatever the snapshot says.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import tarfile
import time
from pathlib import Path
from typing import Callable, Mapping

from microagent.sandbox.ignored import Ignored
from microagent.sandbox.types import WorkspaceSnapshot

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", ".tox", ".nox", "node_modules",
    }
)
# Build output, unless the directory is a Python package that happens to use the name.
BUILD_DIRS = frozenset({"build", "dist"})
SANDBOX_UID = 1000
RACY_SECONDS = 2.0  # a file changed this recently may change again within its mtime's tick


class FileCache:
    """The bytes of the files read before, for a front door that lives across runs (the
    language server, the API): a file whose size, mtime and inode are unchanged is not read
    again. A file modified in the last RACY_SECONDS is always re-read (git's "racily clean"
    rule: a second write in the same mtime tick leaves the stat unchanged)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._roots: dict[str, dict[str, tuple[tuple[int, int, int], bytes]]] = {}
        self._clock = clock
        self.reads = 0  # files read from disk, for a caller that reports it
        self.reused = 0

    def read(self, root: Path, rel: str, info: os.stat_result) -> bytes:
        entries = self._roots.setdefault(str(root), {})
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = entries.get(rel)
        if cached is not None and cached[0] == stamp:
            self.reused += 1
            return cached[1]
        data = (root / rel).read_bytes()
        self.reads += 1
        if self._clock() - info.st_mtime_ns / 1e9 > RACY_SECONDS and len(data) == info.st_size:
            entries[rel] = (stamp, data)
        else:
            entries.pop(rel, None)
        return data

    def keep(self, root: Path, seen: set[str]) -> None:
        """After a walk of `root`: forget the files it no longer has."""
        entries = self._roots.get(str(root), {})
        for rel in [r for r in entries if r not in seen]:
            del entries[rel]


def safe_relative_path(path: str) -> str:
    """Return `path` as a clean relative POSIX path, or raise ValueError if it leaves the root."""
    if not path or "\x00" in path or "\\" in path:
        raise ValueError(f"not a usable workspace path: {path!r}")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise ValueError(f"workspace paths are relative; got the absolute path {path!r}")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise ValueError(f"workspace path {path!r} escapes the workspace root")
    return posixpath.join(*parts)


def _skip_dir(directory: Path, name: str) -> bool:
    if name in SKIPPED_DIRS or name.endswith(".egg-info"):
        return True
    if name in BUILD_DIRS and not (directory / name / "__init__.py").exists():
        return True
    return (directory / name / "pyvenv.cfg").exists()  # a virtualenv, whatever its name


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def read_workspace(
    root: str | Path,
    overlays: Mapping[str, bytes | str] | None = None,
    *,
    max_file_bytes: int = 16_000_000,
    max_total_bytes: int = 256_000_000,
    cache: FileCache | None = None,
) -> WorkspaceSnapshot:
    """Read the files under `root`, then lay `overlays` (unsaved buffers, edits) on top.

    Files over `max_file_bytes`, files past `max_total_bytes`, unreadable files and symlinks
    pointing out of the root are listed in `skipped` rather than read; what .gitignore ignores
    is left out (sandbox/ignored.py). With a `cache`, files unchanged since the last read of
    the same root are not read again.
    """
    base = Path(root).resolve()
    if not base.is_dir():
        raise ValueError(f"workspace root {str(root)!r} is not a directory")
    files: dict[str, bytes] = {}
    skipped: list[str] = []
    total = 0
    ignored = Ignored(base)
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        directory = Path(dirpath)
        ignored.enter(directory)
        here = directory.relative_to(base).as_posix()
        prefix = "" if here == "." else here + "/"
        dirnames[:] = sorted(d for d in dirnames if not _skip_dir(directory, d)
                             and not ignored(prefix + d, is_dir=True))
        for name in sorted(filenames):
            path = directory / name
            rel = path.relative_to(base).as_posix()
            if ignored.skips_file(rel):
                continue
            try:
                info = path.lstat()
                if stat.S_ISLNK(info.st_mode):
                    if not _inside(path, base):
                        skipped.append(rel)
                        continue
                    info = path.stat()
                if not stat.S_ISREG(info.st_mode):
                    continue  # sockets, fifos, devices
                if info.st_size > max_file_bytes or total + info.st_size > max_total_bytes:
                    skipped.append(rel)
                    continue
                data = cache.read(base, rel, info) if cache else path.read_bytes()
            except OSError:
                skipped.append(rel)
                continue
            total += len(data)
            files[rel] = data
    if cache is not None:
        cache.keep(base, set(files))
    snapshot = WorkspaceSnapshot(root=str(base), files=files, skipped=skipped)
    return apply_overlays(snapshot, overlays or {})


def apply_overlays(
    snapshot: WorkspaceSnapshot, overlays: Mapping[str, bytes | str]
) -> WorkspaceSnapshot:
    """Return `snapshot` with `overlays` written over it; a path escaping the root is a ValueError."""
    clean = {safe_relative_path(path): content for path, content in overlays.items()}
    if not clean:
        return snapshot
    updated = snapshot.with_files(clean)
    return updated.model_copy(update={"skipped": [p for p in snapshot.skipped if p not in clean]})


def write_snapshot(snapshot: WorkspaceSnapshot, dest: Path) -> Path:
    """Write the snapshot's files into `dest`, which must be empty or not exist yet.

    Raises ValueError for a path that escapes `dest` or collides with another entry.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise ValueError(f"refusing to write a snapshot into non-empty directory {dest}")
    real_dest = dest.resolve()
    for rel, content in snapshot.files.items():
        target = real_dest / safe_relative_path(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # "a" is a file and "a/b" wants it to be a directory
            raise ValueError(f"snapshot path {rel!r} collides with another entry") from exc
        if not _inside(target.parent, real_dest):
            raise ValueError(f"snapshot path {rel!r} escapes {dest}")
        if target.is_symlink() or target.is_dir():
            raise ValueError(f"snapshot path {rel!r} collides with another entry")
        target.write_bytes(content)
        target.chmod(0o644)
    return dest


def snapshot_tar(snapshot: WorkspaceSnapshot, prefix: str = "") -> bytes:
    """An uncompressed tar of the snapshot (files 0644, directories 0755, owner 1000:1000)."""
    top = safe_relative_path(prefix) if prefix else ""
    now = int(time.time())
    buffer = io.BytesIO()
    seen_dirs: set[str] = set()

    def entry(name: str, kind: bytes, mode: int, size: int = 0) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.size, info.mtime = kind, mode, size, now
        info.uid = info.gid = SANDBOX_UID
        return info

    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:

        def add_dirs(path: str) -> None:
            parent = posixpath.dirname(path)
            if parent and parent not in seen_dirs:
                add_dirs(parent)
                seen_dirs.add(parent)
                tar.addfile(entry(parent, tarfile.DIRTYPE, 0o755))

        if top:
            add_dirs(top + "/x")
        for rel in sorted(snapshot.files):
            content = snapshot.files[rel]
            name = posixpath.join(top, safe_relative_path(rel)) if top else safe_relative_path(rel)
            add_dirs(name)
            tar.addfile(entry(name, tarfile.REGTYPE, 0o644, len(content)), io.BytesIO(content))
    return buffer.getvalue()


def changed_paths(
    old: WorkspaceSnapshot | None, new: WorkspaceSnapshot
) -> tuple[list[str], list[str]]:
    """Paths whose content differs in `new` (or is new), and paths `new` no longer has."""
    before = old.files if old is not None else {}
    changed = sorted(p for p, data in new.files.items() if before.get(p) != data)
    deleted = sorted(p for p in before if p not in new.files)
    return changed, deleted
