"""Every run has a seed: given in the configuration it seeds the run's model calls in order
(call i: seed + i), so a run can be repeated; not given, one is drawn and recorded."""

from loop_support import fenced, make_loop, write_calc
from microagent.agents.types import Task, TaskKind

FIX = fenced("""\
    def add(a, b):
        return a + b
    """)
WRONG = fenced("""\
    def add(a, b):
        return a * b
    """)


async def test_a_configured_seed_seeds_each_model_call_and_is_recorded(tmp_path, scripted):
    write_calc(tmp_path)
    scripted.load([{"model": "coder", "reply": WRONG}, {"model": "coder", "reply": FIX},
                   {"model": "reviewer", "reply": "[]"},
                   {"model": "tester", "reply": "```python\nadd(1, 2)\n```"}])

    result = await make_loop(tmp_path, MICROAGENT_SEED="41").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status.value == "solved" and result.seed == 41
    assert [c["seed"] for c in scripted.calls] == [41, 42, 43, 44]  # coder, coder, reviewer, tester
    assert [t["seed"] for t in result.transcript if t.get("role") == "coder"] == [41, 42]
    assert '"seed":41}' in result.model_dump_json()  # what --json prints


async def test_without_a_seed_one_is_drawn_and_recorded(tmp_path, scripted):
    write_calc(tmp_path)
    scripted.load([{"model": "coder", "reply": FIX}, {"model": "reviewer", "reply": "[]"}])

    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert isinstance(result.seed, int) and 0 <= result.seed < 2**31
    assert scripted.calls[0]["seed"] == result.seed
