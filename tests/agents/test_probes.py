"""The Tester's inputs: reading the calls out of its answer, running them on candidates in a real
sandbox (process backend), and picking the candidate whose behaviour most candidates share; then
the loop gathering passing candidates for a docstring spec and keeping the one picked."""

import textwrap

import pytest

from microagent.agents import probes
from microagent.agents.probes import Probe, parse_calls, pick
from microagent.agents.runtime import RUNNER
from microagent.agents.types import RunStatus, Target, Task, TaskKind
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.types import WorkspaceSnapshot
from loop_support import make_loop


def test_only_literal_calls_of_the_function_are_read():
    reply = textwrap.dedent("""\
        Here are some inputs:
        ```python
        mean([1, 2, 3])
        mean([])
        print(mean([0.5]))
        assert mean([2, 2]) == 2
        mean([1, 2, 3])
        mean(open("/etc/passwd"))
        mean(*args)
        other([1])
        import os
        mean([1,
        ```
        """)
    assert parse_calls(reply, "mean", 8) == ["mean([1, 2, 3])", "mean([])", "mean([0.5])",
                                             "mean([2, 2])"]
    assert parse_calls(reply, "mean", 2) == ["mean([1, 2, 3])", "mean([])"]
    assert parse_calls("no code at all", "mean", 8) == []


def test_the_behaviour_most_candidates_share_wins():
    a = Probe(["= 1", "= 0", "= 3"])
    b = Probe(["= 1", "raises ZeroDivisionError", "= 3"])
    c = Probe(["= 1", "= 0", "= 3"])
    assert pick([b, a, c]) == 1  # raising where the others return loses
    assert pick([a, c]) == 0  # a tie keeps the earlier one
    assert pick([Probe(None), a]) == 1  # a probe that could not run loses
    assert pick([Probe(None), Probe(None)]) == 0


async def test_a_probe_reports_values_exceptions_and_timeouts_from_the_sandbox(tmp_path):
    code = textwrap.dedent("""\
        def mean(values):
            if values == [9]:
                while True:
                    pass
            return sum(values) / len(values)
        """)
    snapshot = WorkspaceSnapshot(root=str(tmp_path)).with_files({"stats.py": code})
    sandbox = ProcessSandbox(runner=RUNNER)
    try:
        found = await probes.run(sandbox, snapshot, "stats.py", "mean",
                                 ["mean([1, 2])", "mean([])", "mean([9])"])
    finally:
        await sandbox.close()
    assert found.outcomes == ["= 1.5", "raises ZeroDivisionError", "timeout"]


async def test_a_forged_outcome_line_of_another_length_is_no_probe(tmp_path):
    code = ('print("MICROAGENT-PROBE [\\"= 1\\"]")\n\n\ndef mean(values):\n'
            '    return 0\n')
    snapshot = WorkspaceSnapshot(root=str(tmp_path)).with_files({"stats.py": code})
    sandbox = ProcessSandbox(runner=RUNNER)
    try:
        found = await probes.run(sandbox, snapshot, "stats.py", "mean", ["mean([1])", "mean([])"])
    finally:
        await sandbox.close()
    assert found.outcomes == ["= 0", "= 0"]  # the probe's own line is the last one


MEDIAN = textwrap.dedent('''\
    def median(values):
        """The middle value of the sorted values; the mean of the two middle ones when their
        number is even.

        >>> median([3, 1, 2])
        2
        """
    ''')
ODD_ONLY = "```python\ndef median(values):\n    return sorted(values)[len(values) // 2]\n```"
RIGHT = ("```python\ndef median(values):\n    s = sorted(values)\n    n = len(s)\n"
         "    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2\n```")
RIGHT_TOO = ("```python\ndef median(values):\n    s = sorted(values)\n    m = len(s) // 2\n"
             "    if len(s) % 2 == 0:\n        return (s[m - 1] + s[m]) / 2\n    return s[m]\n```")
INPUTS = "```python\nmedian([1, 2, 3, 4])\nmedian([5])\nmedian([2, 1])\n```"


@pytest.fixture
def median_project(tmp_path):
    (tmp_path / "stats.py").write_text(MEDIAN)
    return tmp_path


async def test_passing_candidates_are_gathered_and_the_tester_s_inputs_pick_one(median_project,
                                                                                 scripted):
    scripted.load([
        {"model": "coder", "reply": ODD_ONLY},  # passes the example, wrong for even lengths
        {"model": "coder", "reply": RIGHT},
        {"model": "coder", "reply": RIGHT_TOO},
        {"model": "tester", "reply": INPUTS},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(median_project, MICROAGENT_AGREE="3").run(
        Task(kind=TaskKind.implement, root=str(median_project), target=Target.parse("stats.py:median")))
    assert result.status == RunStatus.solved, result.message
    [edit] = result.edits
    assert "s[n // 2 - 1] + s[n // 2]" in edit.content  # the majority's behaviour, first of them
    assert result.proposer == "samples"
    assert "picked among 3 passing candidates by their behaviour on 3 Tester inputs (2 behave " \
           "the same)" in result.message
    [tester] = [t for t in result.transcript if t["role"] == "tester"]
    assert "median([3, 1, 2])" in tester["messages"][-1]["content"]
    assert "expected" not in tester["messages"][-1]["content"].lower()


async def test_a_model_failure_while_gathering_keeps_the_pass(median_project, scripted):
    scripted.load([{"model": "coder", "reply": ODD_ONLY}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(median_project, MICROAGENT_AGREE="3").run(
        Task(kind=TaskKind.implement, root=str(median_project), target=Target.parse("stats.py:median")))
    assert result.status == RunStatus.solved, result.message
    assert "sorted(values)[len(values) // 2]" in result.edits[0].content
    assert "the search for more passing candidates stopped" in result.message


async def test_candidates_that_keep_failing_end_the_gathering(median_project, scripted):
    scripted.load([
        {"model": "coder", "reply": ODD_ONLY},
        {"model": "coder", "reply": "```python\ndef median(values):\n    return 0\n```",
         "repeat": True},
    ])
    result = await make_loop(median_project, MICROAGENT_AGREE="2",
                             MICROAGENT_REVIEW="false").run(
        Task(kind=TaskKind.implement, root=str(median_project), target=Target.parse("stats.py:median")))
    assert result.status == RunStatus.solved and result.iterations == 1 + 4  # 2 x agree more
    assert not any(t["role"] == "tester" for t in result.transcript)
