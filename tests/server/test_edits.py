"""The edit mapper: minimal text edits that an editor applies to get exactly the run's content,
carrying the versions the run started from and, when asked, a confirmation annotation."""

from __future__ import annotations

import hashlib

import pytest
from lsprotocol import types

from microagent.agents.types import FileEdit
from lsp_editor import apply_text_edits
from microagent.server.lsp.edits import ANNOTATION_ID, Target, text_edits, workspace_edit

BUGGY = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
FIXED = BUGGY.replace("a - b", "a + b")


def file_edit(path: str, original: str, content: str) -> FileEdit:
    return FileEdit(path=path, original=original, content=content, diff="",
                    original_sha256=hashlib.sha256(original.encode()).hexdigest())


def test_a_one_character_fix_is_a_one_character_edit():
    edits = text_edits(BUGGY, FIXED)
    assert len(edits) == 1
    assert edits[0].range == types.Range(types.Position(1, 13), types.Position(1, 14))
    assert edits[0].new_text == "+"


@pytest.mark.parametrize("original, content", [
    (BUGGY, FIXED),
    (BUGGY, "import math\n\n" + FIXED + "\n\ndef sub(a, b):\n    return a - b\n"),
    (BUGGY, "def mul(a, b):\n    return a * b\n"),
    ("", "def f():\n    return 1\n"),
    ("x = 1", "x = 2"),  # no final newline
    ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n"),  # Windows line endings
    ("s = '😀 a'\nt = 1\n", "s = '😀 b'\nt = 1\n"),  # a character outside the BMP
    ("a\nb\n", "a\nb"),
    ("a\rb\r", "a\rc\r"),  # old Mac line endings
    ("one\ntwo\nthree\n", "zero\none\nthree\nfour\n"),
])
def test_applying_the_edits_gives_exactly_the_content(original, content):
    edits = text_edits(original, content)
    assert apply_text_edits(original, edits) == content
    assert sum(len(e.new_text) for e in edits) <= len(content)  # never the whole file again


def test_utf16_columns_count_surrogate_pairs():
    edits = text_edits("s = '😀 a'\n", "s = '😀 b'\n")
    assert edits[0].range.start.character == 8  # s, space, =, space, ', 😀 (two units), space


def test_utf8_columns_count_bytes():
    edits = text_edits("s = 'é a'\n", "s = 'é b'\n", types.PositionEncodingKind.Utf8)
    assert edits[0].range.start.character == 8  # é is two bytes; seven code points


def test_the_edit_carries_the_versions_the_run_started_from():
    edit = workspace_edit([file_edit("calc.py", BUGGY, FIXED)],
                          {"calc.py": Target("file:///p/calc.py", 7)})
    [change] = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document == types.OptionalVersionedTextDocumentIdentifier(
        uri="file:///p/calc.py", version=7)
    assert edit.change_annotations is None


def test_a_new_file_is_created_then_filled():
    edit = workspace_edit([file_edit("util.py", "", "X = 1\n")],
                          {"util.py": Target("file:///p/util.py", None, exists=False)})
    create, fill = edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == "file:///p/util.py"
    assert fill.edits[0].new_text == "X = 1\n"


def test_confirm_edits_annotates_every_change_with_needs_confirmation():
    edit = workspace_edit([file_edit("calc.py", BUGGY, FIXED)],
                          {"calc.py": Target("file:///p/calc.py", 1)}, confirm=True)
    assert edit.change_annotations[ANNOTATION_ID].needs_confirmation is True
    [change] = edit.document_changes
    assert all(isinstance(e, types.AnnotatedTextEdit) and e.annotation_id == ANNOTATION_ID
               for e in change.edits)
