"""The project the end-to-end tests work on, scripted model replies, and the few steps every
run test takes (start a command, wait for its progress to end, count model calls)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types

SERVER = str(Path(sys.executable).with_name("microagent-lsp"))

CALC = '''\
def add(a, b):
    return a - b


def mul(a, b):
    return a * b
'''
TEST_CALC = '''\
from calc import add, mul


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(2, 3) == 6
'''
SHELF = '''\
def restock(items, count):
    """Add `count` to every item's stock."""
    raise NotImplementedError


def total(items):
    return sum(items.values())


def double(x):
    """Twice x.

    >>> double(2)
    4
    """
    ...
'''
TEST_SHELF = '''\
import shelf


class TestShelf:
    def test_restock(self):
        assert shelf.restock({"a": 1}, 2) == {"a": 3}
'''
FIXED_ADD = "```python\n# file: calc.py\ndef add(a, b):\n    return a + b\n```"


def reply(model: str, text: str = "", **extra: Any) -> dict:
    return {"model": model, "reply": text, **extra}


def review(*comments: dict) -> dict:
    return reply("reviewer", json.dumps(list(comments)))


async def run_command(editor, command: str, rel: str, target: str | None = None) -> dict:
    result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command, arguments=[{"uri": editor.uri(rel), "target": target}]))
    assert result["started"], result
    return result


def ended(editor, token: str):
    """The run's `end` progress notification, once it has come."""
    reports = editor.client.progress_reports.get(token) or []
    return reports and reports[-1].kind == "end" and reports[-1]


def reported(editor, token: str, text: str) -> bool:
    return any(getattr(r, "message", None) and text in r.message
               for r in editor.client.progress_reports.get(token, []))


def model_calls(tmp_path: Path, model: str = "coder") -> int:
    """Calls the scripted model has received (it logs each one as a JSON line)."""
    log = tmp_path / "calls.jsonl"
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(json.loads(line)["model"] == model for line in lines)
