"""bench/edit_prompts: which repair-set tasks `loop.edits = "auto"` asks for SEARCH/REPLACE edits
(the fix prompt shows 40 lines of code or more); the others are asked for whole definitions as
before. No model, no sandbox: the Coder's own prompt for each task's failing test.

Run: .venv/bin/python -m microagent.bench.edit_prompts [bench/repair-set]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from microagent.agents.coder import EDITS_FROM_LINES, Coder
from microagent.languages.python.language import PYTHON
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Outcome, TestCase

FAILING = [TestCase(node_id="test_solution.py::test_check", outcome=Outcome.failed)]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/repair-set")
    coder = Coder(client=None, edits="auto")  # type: ignore[arg-type]  # builds prompts only
    asked, lines = [], []
    for task in sorted(p for p in folder.iterdir() if p.is_dir()):
        context = PYTHON.coder_context(read_workspace(str(task), {}), FAILING, lambda s: len(s) // 4)
        if len(coder.messages("fix", context, {}, "")) > 2:  # the worked example's two turns
            asked.append(task.name)
        lines.append(sum(p.text.count("\n") for p in context.code))
    print(f"{len(asked)}/{len(lines)} tasks asked for edits (from {EDITS_FROM_LINES} lines shown): "
          f"{', '.join(asked)}; code lines shown: median {statistics.median(lines)}, max {max(lines)}")


if __name__ == "__main__":
    main()
