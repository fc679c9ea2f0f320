"""The workspace's .gitignore files, read as git reads them (pathspec's GitIgnoreSpec): the root
one and every nested one, a deeper file deciding before a shallower one.

What the snapshot leaves out with them: ignored directories whole (build output, data dumps,
virtualenvs, secrets folders) and ignored files, except Python sources, which a project often
generates and ignores (setuptools-scm's `_version.py`) while its tests still import them.
"""

from __future__ import annotations

from pathlib import Path

from pathspec import GitIgnoreSpec


class Ignored:
    """`ignored(rel, is_dir)` for paths relative to the root; `enter(dir)` as the walk goes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._specs: list[tuple[str, GitIgnoreSpec]] = []  # (directory prefix, its rules)

    def enter(self, directory: Path) -> None:
        """Read `directory`'s .gitignore, if it has one."""
        path = directory / ".gitignore"
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        rel = directory.relative_to(self.root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        self._specs.append((prefix, GitIgnoreSpec.from_lines(lines)))
        self._specs.sort(key=lambda item: -len(item[0]))  # the deepest decides first

    def __call__(self, rel: str, is_dir: bool = False) -> bool:
        for prefix, spec in self._specs:
            if prefix and not rel.startswith(prefix):
                continue
            decided = spec.check_file(rel[len(prefix):] + ("/" if is_dir else "")).include
            if decided is not None:
                return decided
        return False

    def skips_file(self, rel: str) -> bool:
        """An ignored file the snapshot leaves out: not a Python source."""
        return not rel.endswith(".py") and self(rel)
