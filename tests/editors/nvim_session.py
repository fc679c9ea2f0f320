"""What the Neovim end-to-end test and the demo share: a copy of examples/calc, scripted Coder
and Reviewer replies, the server's environment, and the `nvim` command line with the test init.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path


HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
INIT = HERE / "nvim_init.lua"
DRIVER = HERE / "nvim_fix_run.lua"
SERVER = Path(sys.executable).with_name("microagent-lsp")

FIXED = '''\
def range_sum(start, stop):
    """The sum of the integers from start to stop, both included."""
    return sum(range(start, stop + 1))


def mean(values):
    """The arithmetic mean of a non-empty list of numbers."""
    return sum(values) / len(values)
'''
REVIEW_LINE = 11  # `return sum(values) / len(values)` in the fixed calc.py
REVIEW_MESSAGE = "mean([]) divides by zero: raise ValueError for an empty list"
REPLIES = [
    {"model": "coder", "reply": f"```python\n# file: calc.py\n{FIXED}```"},
    {"model": "reviewer", "reply": json.dumps([{
        "file": "calc.py", "line": REVIEW_LINE, "severity": "warning",
        "message": REVIEW_MESSAGE}])},
]


def copy_calc(dest: Path) -> Path:
    """A fresh copy of examples/calc (4 of its 6 tests fail)."""
    project = dest / "calc"
    shutil.copytree(REPO / "examples" / "calc", project,
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return project


def server_env(work: Path, replies: list[dict] = REPLIES) -> dict[str, str]:
    """The environment for nvim, and so for the server it starts: scripted models answering
    `replies`, the process sandbox, and no MICROAGENT_* setting from the caller's shell."""
    script = work / "script.json"
    script.write_text(json.dumps({"replies": replies}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env.update({
        "MICROAGENT_LSP": str(SERVER),
        "MICROAGENT_SCRIPT": str(script),
        "MICROAGENT_SCRIPT_LOG": str(work / "calls.jsonl"),
        "MICROAGENT_CODER_MODEL": "scripted/coder",
        "MICROAGENT_REVIEWER_MODEL": "scripted/reviewer",
        "MICROAGENT_TESTER_MODEL": "scripted/tester",
        "MICROAGENT_SANDBOX_BACKEND": "process",
        "MICROAGENT_MUTANTS": "0",  # the scripted Coder's answers are what these tests follow
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    })
    return env


def nvim_command(nvim: str, *, headless: bool = True, driver: bool = True) -> list[str]:
    command = [nvim] + (["--headless"] if headless else []) + ["--clean", "-u", str(INIT)]
    if driver:
        command += ["-c", f"luafile {DRIVER}"]
    return command
