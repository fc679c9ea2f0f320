"""`microagent fix --apply` writes a run's edits by the rules the language server also keeps
(agents/edit_rules.py): never over a test file, never over a file changed since the run began."""

from __future__ import annotations

import hashlib

from microagent.agents.types import FileEdit
from microagent.server.cli.apply import apply_edits


def edit_of(path: str, original: str, content: str) -> FileEdit:
    return FileEdit(path=path, original=original, content=content, diff="",
                    original_sha256=hashlib.sha256(original.encode()).hexdigest())


def test_an_unchanged_file_is_written_and_a_new_file_created(tmp_path):
    (tmp_path / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    report = apply_edits(tmp_path, [
        edit_of("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
        edit_of("test_microagent_examples.py", "", "def test_x():\n    pass\n")])
    assert report.written == ["calc.py", "test_microagent_examples.py"] and not report.refused
    assert (tmp_path / "calc.py").read_text() == "def add(a, b):\n    return a + b\n"


def test_a_file_changed_since_the_run_refuses_every_edit(tmp_path):
    (tmp_path / "calc.py").write_text("def add(a, b):\n    return b + a  # fixed by hand\n")
    (tmp_path / "util.py").write_text("X = 1\n")
    report = apply_edits(tmp_path, [
        edit_of("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
        edit_of("util.py", "X = 1\n", "X = 2\n")])
    assert report.written == []
    assert "changed on disk" in report.refused["calc.py"] and "util.py" in report.refused
    assert (tmp_path / "util.py").read_text() == "X = 1\n"


def test_an_existing_test_file_is_never_written(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_calc.py").write_text("def test_add():\n    assert False\n")
    report = apply_edits(tmp_path, [edit_of("tests/test_calc.py", "def test_add():\n    assert False\n",
                                            "def test_add():\n    assert True\n")])
    assert "never edits tests" in report.refused["tests/test_calc.py"]
    assert (tmp_path / "tests" / "test_calc.py").read_text() == "def test_add():\n    assert False\n"
