"""A review grounded in execution: the Tester's inputs run on the final code, and calls that fail
the way bugs fail become comments beside the Reviewer's; scripted models, process sandbox."""

import textwrap

from microagent.agents.review_probes import Probed, changed_functions, comments
from microagent.agents.types import RunStatus, Target, Task, TaskKind
from loop_support import fenced, make_loop

STATS = textwrap.dedent("""\
    def total(values):
        return sum(values)


    def mean(values):
        return sum(values) - len(values)
    """)
TEST = "from stats import mean\n\n\ndef test_mean():\n    assert mean([2, 4]) == 3\n"
FIXED = fenced("def mean(values):\n    return sum(values) / len(values)\n", "stats.py")
INPUTS = "```python\nmean([1, 2, 3])\nmean([])\nmean([5])\nmean('abc')\n```"


def test_only_new_or_changed_functions_are_probed():
    after = STATS.replace("sum(values) - len(values)", "sum(values) / len(values)") + \
        "\n\ndef helper():\n    return 1\n"
    found = changed_functions("stats.py", STATS, after)
    assert [(f.name, f.line) for f in found] == [("mean", 5), ("helper", 9)]
    assert changed_functions("stats.py", STATS, "def broken(:\n") == []


def test_failures_like_bugs_become_one_comment_each_and_domain_errors_none():
    function = Probed("stats.py", "mean", 5, "")
    calls = ["mean([])", "mean(())", "mean('x')", "mean([1])", "mean([9])"]
    outcomes = ["raises ZeroDivisionError", "raises ZeroDivisionError", "raises TypeError", "= 1.0",
                "timeout"]
    found = comments(function, calls, outcomes)
    assert [c.message for c in found] == [
        "`mean([])` and `mean(())` raise ZeroDivisionError; no test covers this input (run by "
        "the Tester)",
        "`mean([9])` does not return within the time limit; no test covers this input (run by "
        "the Tester)"]
    assert {(c.file, c.line, c.severity) for c in found} == {("stats.py", 5, "warning")}
    assert comments(function, calls, None) == []


def test_an_input_the_docstring_rules_out_is_not_a_weak_spot():
    documented = Probed("calc.py", "mean", 1, 'def mean(values):\n    """The mean of a non-empty '
                        'list of numbers."""\n    return sum(values) / len(values)\n')
    assert comments(documented, ["mean([])", "mean(values=())"],
                    ["raises ZeroDivisionError"] * 2) == []
    undocumented = Probed("calc.py", "mean", 1, documented.source.replace("non-empty ", ""))
    [comment] = comments(undocumented, ["mean([])"], ["raises ZeroDivisionError"])
    assert "`mean([])` raises ZeroDivisionError" in comment.message


def test_a_number_the_docstring_rules_out_is_not_a_weak_spot_but_others_are():
    source = ('def root(n, k):\n    """The k-th root of n; k is a positive integer."""\n'
              '    return n ** (1 / k)\n')
    found = comments(Probed("m.py", "root", 1, source),
                     ["root(8, 0)", "root(8, k=-1)", "root(0, 3)", "root(-8, 3)"],
                     ["raises ZeroDivisionError", "raises OverflowError", "raises KeyError",
                      "raises KeyError"])
    # the line says k is positive: n may be anything, so n's calls are still weak spots
    assert ["`root(0, 3)` and `root(-8, 3)` raise KeyError" in c.message for c in found] == [True]
    non_positive = source.replace("a positive", "a non-positive")
    assert comments(Probed("m.py", "root", 1, non_positive), ["root(8, 0)"],
                    ["raises ZeroDivisionError"])  # "non-positive" asks nothing of 0


async def test_a_solved_fix_is_reviewed_by_running_the_tester_s_inputs(tmp_path, scripted):
    (tmp_path / "stats.py").write_text(STATS)
    (tmp_path / "test_stats.py").write_text(TEST)
    scripted.load([{"model": "coder", "reply": FIXED}, {"model": "reviewer", "reply": "[]"},
                   {"model": "tester", "reply": INPUTS}])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    [comment] = result.comments
    assert comment.message.startswith("`mean([])` raises ZeroDivisionError")
    assert (comment.file, comment.line) == ("stats.py", 5)
    [tester] = [c for c in scripted.calls if c["model"] == "tester"]
    assert "return sum(values) / len(values)" in tester["messages"][-1]["content"]
    assert "def total" not in tester["messages"][-1]["content"]  # only what changed


async def test_a_tester_that_fails_leaves_the_fix_and_the_reviewer_s_comments(tmp_path, scripted):
    (tmp_path / "stats.py").write_text(STATS)
    (tmp_path / "test_stats.py").write_text(TEST)
    scripted.load([{"model": "coder", "reply": FIXED},
                   {"model": "reviewer", "reply": '[{"line": 6, "message": "empty list"}]'}])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    assert [c.message for c in result.comments] == ["empty list"]


async def test_reviewing_a_function_runs_the_tester_s_inputs_on_it(tmp_path, scripted):
    (tmp_path / "stats.py").write_text(STATS.replace("sum(values) - len(values)",
                                                     "sum(values) / len(values)"))
    scripted.load([{"model": "reviewer", "reply": "[]"}, {"model": "tester", "reply": INPUTS}])
    result = await make_loop(tmp_path).run(
        Task(kind=TaskKind.review, root=str(tmp_path), target=Target.parse("stats.py:mean")))
    assert result.status == RunStatus.unchanged
    [comment] = result.comments
    assert "`mean([])` raises ZeroDivisionError" in comment.message and comment.line == 5
