"""microagent.bench.repair_report reads a run's records: which step solved a task, what happened to the bug."""

from pathlib import Path

from microagent.bench.repair_report import report, solved_by

SET = Path(__file__).resolve().parents[2] / "bench" / "repair-set"
LOCATE = "1 of 1 tests fail.\n\nFind the wrong line. Answer with its number"


def attempt(iteration, temperature, feedback, reply, tests=None, problem=None):
    return {"iteration": iteration, "temperature": temperature, "feedback": feedback,
            "reply": reply, "tests": tests, "problem": problem}


def record(task_id, solved, attempts):
    return {"task_id": task_id, "kind": "comparison", "solved": solved, "iterations": 2,
            "seconds": 12.0, "attempts": attempts}


def test_the_step_that_passed_is_named_and_a_failure_shows_its_buggy_line():
    first = attempt(1, 0.0, "1 of 1 tests fail.", "```python\n...\n```", tests="0/1 tests passing")
    rescued = record("HumanEval/0", True, [
        first, attempt(2, 0.0, LOCATE, "line 14: if distance > threshold:"),
        attempt(2, 0.8, "Line 14 is wrong: `if d < t:`\nWrite line 14", "x", tests="1/1 tests passing")])
    missed = record("HumanEval/6", False, [
        first, attempt(2, 0.0, LOCATE, "line 15: max_depth = depth"),
        attempt(2, 0.0, "Line 16 is wrong: `if c != '(':`", "if c != '(':",
                problem="line 16 came back unchanged or not valid Python")])
    assert solved_by(rescued) == "line round: sampled rewrite"
    text = report([rescued, missed], SET)
    assert "1/2 solved" in text and "line round: sampled rewrite: 1" in text
    assert "HumanEval/6 (comparison, line 16: `c == '('` -> `c != '('`)" in text
    assert "named lines [15] (not the buggy line)" in text
    assert "rewrite of line 16 (t=0.0)" in text and "came back unchanged" in text
