"""tsc as the judge's check on a TypeScript candidate (`languages.language.TypeGate`): where the
project has a tsconfig.json, a candidate that brings type errors into the files it changed fails
before its tests run, and tsc's errors are the Coder's feedback.

tsc only reads the files (it never runs them): it runs on the host, on copies of the original
and the candidate written to temporary folders, with the workspace's own node_modules linked in
so its types resolve. No verdict (no compiler, a timeout) lets the candidate through.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Sequence

import platformdirs

from microagent.languages.typescript.typecheck import TypeCheck, TypeChecker, feedback, judge
from microagent.sandbox.snapshot import write_snapshot
from microagent.sandbox.types import WorkspaceSnapshot

TSCONFIG = "tsconfig.json"
NODE_MODULES = "node_modules"
TYPESCRIPT_VERSION = "5.9.3"  # scripts/js-runners.sh's pinned compiler, for projects without one


def our_tsc() -> str:
    """The tsc scripts/js-runners.sh installs (it may be absent: the check then says so)."""
    return str(Path(platformdirs.user_cache_dir("microagent")) / "js-runners"
               / f"typescript-{TYPESCRIPT_VERSION}" / "node_modules" / "typescript" / "bin" / "tsc")


class TscGate:
    """`checker`: how tsc runs (TypeChecker); by default the host's `node` and, where the
    project has none of its own, our tsc."""

    def __init__(self, node: str = "node", checker: TypeChecker | None = None) -> None:
        self.checker = checker or TypeChecker(tsc=our_tsc(), node=node)
        self._originals: dict[str, TypeCheck] = {}  # the original's check, by its files' digest

    def applies(self, snapshot: WorkspaceSnapshot) -> bool:
        return TSCONFIG in snapshot.files

    def problem(self, before: WorkspaceSnapshot, after: WorkspaceSnapshot,
                changed: Sequence[str]) -> str | None:
        if not self.applies(after):
            return None
        key = _digest(before)
        if key not in self._originals:
            self._originals[key] = self._check(before)
        verdict = judge(self._originals[key], self._check(after), changed)
        if not verdict.failed:
            return None
        return ("Your change does not type-check: tsc found new errors in the files you "
                f"changed.\n{feedback(verdict.introduced)}")

    def _check(self, snapshot: WorkspaceSnapshot) -> TypeCheck:
        with tempfile.TemporaryDirectory(prefix="microagent-tsc-") as folder:
            workspace = Path(folder) / "w"
            write_snapshot(snapshot, workspace)
            own = Path(snapshot.root) / NODE_MODULES if snapshot.root else None
            if own is not None and own.is_dir() and not (workspace / NODE_MODULES).exists():
                os.symlink(own, workspace / NODE_MODULES)
            return self.checker.check(workspace)


def _digest(snapshot: WorkspaceSnapshot) -> str:
    sha = hashlib.sha256()
    for path in sorted(snapshot.files):
        sha.update(path.encode() + b"\0" + hashlib.sha256(snapshot.files[path]).digest())
    return sha.hexdigest()
