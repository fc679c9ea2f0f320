"""A candidate that makes the failing test skip or xfail has not fixed it: the loop goes on."""

import pytest

from microagent.agents.types import RunStatus, Task, TaskKind
from loop_support import coder_prompts, fenced, make_loop


@pytest.mark.parametrize("call", ["pytest.skip('later')", "pytest.xfail('known')"])
async def test_a_skipped_target_is_not_solved(workspace, scripted, call):
    dodge = f"import pytest\n\n\ndef add(a, b):\n    {call}\n\n\ndef mul(a, b):\n    return a * b\n"
    fix = "def add(a, b):\n    return a + b\n"
    scripted.load([
        {"model": "coder", "reply": fenced(dodge)},
        {"model": "coder", "reply": fenced(fix)},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))

    assert result.status == RunStatus.solved, result.message
    assert result.iterations == 2  # the dodge did not end the run
    [edit] = result.edits
    assert "return a + b" in edit.content and call not in edit.content
    assert "test_calc.py::test_add did not pass" in coder_prompts(scripted)[1]
