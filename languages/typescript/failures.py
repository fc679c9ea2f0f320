"""A failing vitest or jest test said in a few lines for the Coder: its name, the assertion's
message with expected and received, and the stack frames in the workspace's own files (the
runner's and Node's frames left out), bounded.
"""

from __future__ import annotations

import re

from microagent.sandbox.types import TestCase

MAX_MESSAGE_LINES = 8
MAX_FRAMES = 3
MAX_CHARS = 700
# `at add (src/calc.ts:3:10)`, `at src/calc.test.ts:5:23`: a relative path is the workspace's.
FRAME = re.compile(r"^\s*at (?:(?P<where>.+?) \()?(?P<file>[^()\s]+?):(?P<line>\d+):(?P<col>\d+)\)?$")
DIFF_LINE = re.compile(r"^(?:[-+] |Expected|Received|- Expected|\+ Received)")


def describe_failure(case: TestCase) -> str:
    """`FAILED src/sum.test.js::sum > adds`, the message, then the workspace's frames."""
    message = [line.rstrip() for line in (case.message or "").strip().splitlines() if line.strip()]
    frames, diff = [], []
    for line in case.traceback.splitlines():
        found = FRAME.match(line)
        if found:
            if _own(found["file"]) and len(frames) < MAX_FRAMES:
                where = f" in {found['where']}" if found["where"] else ""
                frames.append(f"  at {found['file']}:{found['line']}{where}")
        elif DIFF_LINE.match(line.strip()) and line.strip() not in message:
            diff.append(line.rstrip())
    lines = message[:MAX_MESSAGE_LINES] + [d for d in diff if d.strip()][:MAX_MESSAGE_LINES] + frames
    text = f"{case.outcome.value.upper()} {case.node_id}\n" + "\n".join(lines)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 20] + "\n[... trimmed ...]"


def _own(path: str) -> bool:
    """A frame in the workspace: a relative path outside node_modules."""
    return not (path.startswith(("/", "file:", "node:")) or "node_modules" in path
                or path.startswith("<"))
