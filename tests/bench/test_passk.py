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
                       overrides={"model": "scripted/coder"}, env={})
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
