"""Writes a run's edits to disk, but only to files whose content is still what the run
started from; any other file is refused with the reason, and nothing is half-written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from microagent.agents.edit_rules import changed_since_run, edits_a_test
from microagent.agents.types import FileEdit


@dataclass
class ApplyReport:
    written: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # path -> why


def apply_edits(root: str | Path, edits: list[FileEdit]) -> ApplyReport:
    root = Path(root).resolve()
    report = ApplyReport()
    ready: list[tuple[Path, FileEdit]] = []
    for edit in edits:
        target = (root / edit.path).resolve()
        if root not in target.parents:
            report.refused[edit.path] = "outside the workspace"
            continue
        if edits_a_test(edit, target.exists()):
            report.refused[edit.path] = "a test file: microagent never edits tests"
            continue
        if changed_since_run(edit, target.read_bytes() if target.exists() else None):
            report.refused[edit.path] = "changed on disk since the run started; run again"
            continue
        ready.append((target, edit))
    if report.refused:  # all or nothing: a partial fix across files would break the code
        for _, edit in ready:
            report.refused.setdefault(edit.path, "not written because another file was refused")
        return report
    for target, edit in ready:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(edit.content)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode)
        os.replace(tmp, target)
        report.written.append(edit.path)
    return report
