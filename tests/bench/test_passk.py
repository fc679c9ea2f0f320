"""The pass@k ceiling bench: the unbiased estimate, and a scripted run through both prompts
with the process sandbox (hidden test and docstring examples each scored per sample)."""

import pytest

from microagent.agents.runtime import RUNNER
from microagent.bench.passk import PassKBench, pass_at_k, summarize
from microagent.sandbox.process_backend import ProcessSandbox
from test_humaneval import ADD, HARDCODED_ADD, RIGHT_ADD, WRONG_ADD


@pytest.mark.parametrize("n, c, k, expected", [
    (10, 0, 1, 0.0), (10, 10, 5, 1.0), (10, 3, 1, 0.3), (10, 1, 5, 0.5), (4, 2, 2, 1 - 1 / 6),
])
def test_the_unbiased_estimate(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected)


PLAIN = r"self-contained"
CODER = r"\A(?!.*self-contained).*\badd\b"


async def test_every_sample_is_scored_on_the_hidden_and_the_visible_tests(scripted):
    scripted.load([{"model": "coder", "match": PLAIN, "reply": RIGHT_ADD},
                   {"model": "coder", "match": PLAIN, "reply": HARDCODED_ADD},
                   {"model": "coder", "match": CODER, "reply": WRONG_ADD},
                   {"model": "coder", "match": CODER, "reply": RIGHT_ADD}])
    bench = PassKBench(ProcessSandbox(runner=RUNNER), 2, 0.8, backend="process",
                       overrides={"model": "scripted/coder", "loop.mutants": 0}, env={})
    try:
        record = await bench.solve(ADD)
    finally:
        bench.close()

    assert [(x["hidden"], x["visible"]) for x in record["plain"]] == [(True, True), (False, True)]
    assert [(x["hidden"], x["visible"]) for x in record["coder"]] == [(False, False), (True, True)]
    summary = summarize([record], bench.settings)
    assert summary["plain"]["pass@1"] == 0.5 and summary["plain"]["pass@1 picked by the visible tests"] == 0.5
    assert summary["coder"]["pass@1"] == 0.5 and summary["coder"]["pass@1 picked by the visible tests"] == 1.0
    assert summary["plain"]["problems with a visible-passing sample that fails the hidden test"] == 1


async def test_the_repair_ceiling_scores_each_sampled_fix_by_the_task_s_own_test(scripted, tmp_path):
    from microagent.bench.passk import RepairPassK, summarize_repair
    from microagent.bench.repair_tasks import load_set, make_set
    from test_repair import fix_reply

    make_set(tmp_path / "set", count=1)
    [task] = load_set(tmp_path / "set")
    scripted.load([{"model": "coder", "reply": "no code"},
                   {"model": "coder", "reply": fix_reply(task.number)},
                   {"model": "coder", "reply": fix_reply(task.number)}])
    bench = RepairPassK(ProcessSandbox(runner=RUNNER), 3, 0.8, tmp_path / "set", backend="process",
                        overrides={"model": "scripted/coder", "loop.mutants": 0}, env={})
    try:
        record = await bench.solve(task)
    finally:
        bench.close()
    assert [x["hidden"] for x in record["coder"]] == [False, True, True]
    temperatures = [c["temperature"] for c in scripted.calls if c["model"] == "coder"]
    assert temperatures == [0.8, 0.8, 0.8]
    coder = summarize_repair([record], bench.settings)["coder"]
    assert coder["pass@1"] == round(2 / 3, 4) and "pass@5" not in coder
