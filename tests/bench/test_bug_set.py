"""bench/bug-set without a model: each hand-written task says its bug consistently, and bench/real
runs it from its folder (a fresh copy with the bug; the folder itself never changes)."""

from pathlib import Path, PurePosixPath

import pytest

from microagent.bench.real import load_set, prepare, remove

BUG_SET = Path(__file__).parents[2] / "bench" / "bug-set"
TASKS = load_set(BUG_SET)


def test_a_project_folder_is_copied_with_its_bug_and_left_as_it_was(tmp_path):
    task_dir = tmp_path / "money_sum"
    (task_dir / "project" / "tests").mkdir(parents=True)
    (task_dir / "project" / "money.py").write_text("def total(xs):\n    return sum(xs)\n")
    (task_dir / "project" / "tests" / "test_money.py").write_text(
        "from money import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n")
    (task_dir / "bug.toml").write_text(
        'file = "money.py"\nfind = "sum(xs)"\nreplace = "sum(xs[1:])"\nbug = "skips the first"\n'
        'tests = 1\nexpected_failing = ["tests/test_money.py::test_total"]\n')
    [task] = load_set(tmp_path)
    assert (task.name, task.modules, task.src_layout, task.tests) == ("money_sum", 1, False, 1)
    root = prepare(task)
    try:
        assert (root / "money.py").read_text() == "def total(xs):\n    return sum(xs[1:])\n"
    finally:
        remove(root)
    assert not root.exists() and "return sum(xs)\n" in (task_dir / "project" / "money.py").read_text()


def test_the_set_has_the_mix_it_promises():
    if not TASKS:
        pytest.skip("bench/bug-set holds no task yet")
    assert len(TASKS) >= 30 and len({t.name for t in TASKS}) == len(TASKS)
    assert sum(t.cross_module for t in TASKS) >= 6


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_each_task_says_its_bug_consistently(task):
    source = (Path(task.folder) / task.file).read_text(encoding="utf-8")
    assert task.find and task.find != task.replace and source.count(task.find) == 1
    assert 0 < len(task.expected_failing) < task.tests
    assert task.src_layout == task.file.startswith("src/")
    module = PurePosixPath(task.file).stem
    named = {PurePosixPath(node.split("::")[0]).stem for node in task.expected_failing}
    assert task.cross_module == (f"test_{module}" not in named)
