"""The rules every front door applies before a run's edit reaches the user's files (the CLI writes
them, the language server offers them to the editor): never an edit to a test file that exists,
never an edit to a file that changed since the run started. Pure: the caller says what the file
holds now; how it refuses (a message, a report) is the front door's own.
"""

from __future__ import annotations

import hashlib

from microagent.languages.python.parsed import is_test_file
from microagent.agents.types import FileEdit


def edits_a_test(edit: FileEdit, exists: bool) -> bool:
    """An edit to a test file already there: the tests are what the code must meet, never
    rewritten to meet the code. (A new test file, such as generated examples, may be created.)"""
    return exists and is_test_file(edit.path)


def changed_since_run(edit: FileEdit, current: bytes | str | None) -> bool:
    """Whether the file (its bytes or text now; None when it is absent) no longer holds the text
    the run started from, so the edit would overwrite work done meanwhile."""
    data = current.encode() if isinstance(current, str) else (current or b"")
    return hashlib.sha256(data).hexdigest() != edit.original_sha256
