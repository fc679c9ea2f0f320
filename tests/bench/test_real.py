"""bench/real without network or model: the task list holds what it promises, an sdist is
verified before it is unpacked, a bug is injected exactly once or not at all, and the results
file resumes and sums up."""

import hashlib
import io
import json
import re
import tarfile
from dataclasses import replace
from pathlib import PurePosixPath

import pytest

from microagent.bench.real import (BenchError, RealTask, candidates, fetch_sdist, load_tasks,
                                   parse_shard, prepare, recorded, remove, replace_once, select,
                                   verify_sdist)
from microagent.bench.real_report import summarize

TASKS = load_tasks()


def test_the_task_list_has_the_mix_it_promises():
    assert len(TASKS) >= 12
    assert len({t.name for t in TASKS}) == len(TASKS)
    assert sum(t.needs_dependencies or bool(t.requirements) for t in TASKS) >= 4
    assert sum(t.modules >= 10 for t in TASKS) >= 4
    assert sum(t.src_layout for t in TASKS) >= 2
    assert sum(t.cross_module for t in TASKS) >= 4


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_each_task_is_pinned_and_its_fields_agree(task):
    assert re.fullmatch(r"[0-9a-f]{64}", task.sha256)
    assert re.fullmatch(r"[0-9][0-9a-z.]*", task.version)
    assert task.find and task.find != task.replace
    assert task.src_layout == task.file.startswith("src/")
    assert 0 < len(task.expected_failing) < task.tests
    module = PurePosixPath(task.file).stem
    named = {PurePosixPath(node.split("::")[0]).stem for node in task.expected_failing}
    assert task.cross_module == (f"test_{module}" not in named and module != "__init__")


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bug_replaces_its_text_exactly_once(tmp_path):
    source = _write(tmp_path / "m.py", "def f(a, b):\n    return a < b\n")
    replace_once(source, "a < b", "a <= b")
    assert source.read_text() == "def f(a, b):\n    return a <= b\n"


@pytest.mark.parametrize("text", ["x = 1\n", "a < b\na < b\n"], ids=["absent", "twice"])
def test_a_bug_whose_text_is_absent_or_repeated_is_refused_and_the_file_kept(tmp_path, text):
    source = _write(tmp_path / "m.py", text)
    with pytest.raises(BenchError, match="not once"):
        replace_once(source, "a < b", "a <= b")
    assert source.read_text() == text


def _sdist(folder, name="demo-1.0", files=None):
    """A small .tar.gz with one top folder, like an sdist."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for rel, text in (files or {"demo.py": "def f(a, b):\n    return a < b\n"}).items():
            data = text.encode()
            info = tarfile.TarInfo(f"{name}/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _task(sha256, **fields):
    return RealTask(name="demo", project="demo", version="1.0", sha256=sha256, file="demo.py",
                    find="a < b", replace="a <= b", bug="off-by-one", tests=2,
                    expected_failing=["test_demo.py::test_f"], modules=1, **fields)


def test_an_sdist_whose_hash_differs_is_refused(tmp_path):
    sdist = _sdist(tmp_path)
    right = hashlib.sha256(sdist.read_bytes()).hexdigest()
    assert verify_sdist(sdist, right) == sdist
    with pytest.raises(BenchError, match="refusing"):
        verify_sdist(sdist, "0" * 64)


def test_a_cached_sdist_is_verified_then_unpacked_fresh_with_its_bug(tmp_path):
    sdist = _sdist(tmp_path / "cache" / "demo-1.0")
    task = _task(hashlib.sha256(sdist.read_bytes()).hexdigest())
    root, clean = prepare(task, tmp_path / "cache"), prepare(task, tmp_path / "cache", bug=False)
    try:
        assert root.name == "demo-1.0" and root != clean  # a fresh copy each time
        assert (root / "demo.py").read_text() == "def f(a, b):\n    return a <= b\n"
        assert (clean / "demo.py").read_text() == "def f(a, b):\n    return a < b\n"
    finally:
        remove(root)
        remove(clean)
    assert not root.exists()
    with pytest.raises(BenchError, match="refusing"):
        fetch_sdist(replace(task, sha256="f" * 64), tmp_path / "cache")


def test_the_results_file_resumes_and_sums_up(tmp_path):
    out = tmp_path / "real-loop.jsonl"
    usage = {"coder": {"calls": 2, "prompt_tokens": 900, "completion_tokens": 100}}
    records = [{"task": "a", "solved": True, "seconds": {"total": 40.0}, "usage": usage},
               {"task": "b", "solved": False, "seconds": {"total": 20.0}, "usage": {},
                "context_overflow": True}]
    out.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert recorded(out) == {"a", "b"}
    summary = summarize(records)
    assert (summary["solved"], summary["of"], summary["mean_seconds"]) == (1, 2, 30.0)
    assert summary["mean_tokens"] == 500 and summary["context_overflows"] == 1
    assert summary["tokens_by_role"]["coder"]["calls"] == 2
    assert summary["mean_seconds_to_pass_solved"] == 40.0  # an old record: the total less its review
    records[0]["seconds"] |= {"to_edit": 12.5, "review": 3.0}
    assert summarize(records)["mean_seconds_to_pass_solved"] == 12.5  # measured: the edit went out


def test_each_coder_answer_keeps_its_cost_and_its_reply_without_its_messages():
    result = {"transcript": [
        {"role": "tester", "messages": [{"content": "x"}]},
        {"role": "coder", "iteration": 1, "proposer": "first", "prompt_tokens": 812,
         "completion_tokens": 64, "messages": [{"role": "user", "content": "abcd"}],
         "reply": "...", "tests": "1/2 tests passing", "problem": None}]}
    assert candidates(result) == [{"iteration": 1, "proposer": "first", "prompt_tokens": 812,
                                   "completion_tokens": 64, "prompt_chars": 4,
                                   "tests": "1/2 tests passing", "test_seconds": None,
                                   "problem": None, "reply": "..."}]


def test_shards_split_the_tasks_without_overlap():
    parts = [select(TASKS, None, parse_shard(f"{i}/3")) for i in range(3)]
    assert sorted(t.name for part in parts for t in part) == sorted(t.name for t in TASKS)
    assert [t.name for t in select(TASKS, ["parse", "toolz"], None)] == [
        t.name for t in TASKS if t.name in ("parse", "toolz")]


def test_localization_names_the_buggy_line_and_the_functions_shown():
    from microagent.languages.python.context import Context, Piece
    from microagent.bench.real_localize import bug_line, shown_functions

    task = _task("0" * 64)
    assert bug_line(task, "def f(a, b):\n    return a <= b\n") == 2
    context = Context(tests=[], code=[Piece("demo.py", "...", names=["f", "K.g"]),
                                      Piece("small.py", "...")], target_files=[], wanted_names=[])
    assert shown_functions(context) == ["demo.py:f", "demo.py:K.g", "small.py:*"]


def test_the_mutants_tried_are_kept_with_their_tests():
    from microagent.bench.real import mutations_tried

    result = {"transcript": [
        {"role": "localizer", "seconds": 0.3, "lines": ["a.py:3 1.00"]},
        {"role": "mutation", "mutation": "a.py:3 > -> >=", "suspiciousness": 1.0,
         "tests": "2/2 tests passing", "test_seconds": [0.4], "passed_files": {"a.py": "..."}}]}
    tried = mutations_tried(result)
    assert tried["localizer"]["lines"] == ["a.py:3 1.00"]
    assert tried["mutants"] == [{"mutation": "a.py:3 > -> >=", "suspiciousness": 1.0,
                                 "tests": "2/2 tests passing", "test_seconds": [0.4]}]
