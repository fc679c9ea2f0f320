"""A candidate that makes the failing test skip or xfail has not fixed it: the loop goes on.

The original code already imports pytest, so the loop's screen (which refuses only what a
change adds) lets the dodge through; the sandbox's outcome and the loop's targets catch it.
"""

import pytest

from microagent.agents.types import RunStatus, Task, TaskKind
from loop_support import TESTS, coder_prompts, fenced, make_loop

CALC = "import pytest\n\n\ndef add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"


@pytest.mark.parametrize("call", ["pytest.skip('later')", "pytest.xfail('known')"])
async def test_a_skipped_target_is_not_solved(tmp_path, scripted, call):
    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "test_calc.py").write_text(TESTS)
    dodge = f"def add(a, b):\n    {call}\n"
    fix = "def add(a, b):\n    return a + b\n"
    scripted.load([
        {"model": "coder", "reply": fenced(dodge)},
        {"model": "coder", "reply": fenced(fix)},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.iterations == 2  # the dodge did not end the run
    [edit] = result.edits
    assert "return a + b" in edit.content and call not in edit.content
    assert "test_calc.py::test_add did not pass" in coder_prompts(scripted)[1]
