"""The proposers and the judge, through the loop, with scripted models and the process sandbox:
which prompt each proposer sends, the order of the schedule, a hard task using the candidates it
is given, and the result naming the proposer whose code won."""

import textwrap

from microagent.agents.types import EventKind, RunStatus, Target, Task, TaskKind
from loop_support import write_ops, CALC, fenced, make_loop

SHOUT = textwrap.dedent('''\
    def shout(s):
        """Upper-case and add an exclamation mark.

        >>> shout("hi")
        'HI!'
        """
    ''')
WRONG = fenced("def add(a, b):\n    return a * b\n")  # 6 != 5: add still fails
RIGHT = fenced("def add(a, b):\n    return a + b\n")


def coder_calls(scripted):
    return [c for c in scripted.calls if c["model"] == "coder"]


async def test_a_docstring_spec_is_asked_plainly_first_then_repaired_with_its_failure(tmp_path,
                                                                                       scripted):
    (tmp_path / "text.py").write_text(SHOUT)
    scripted.load([
        {"model": "coder", "reply": "```python\ndef shout(s):\n    return s.upper()\n```"},
        {"model": "coder", "reply": fenced('def shout(s):\n    return s.upper() + "!"\n',
                                           path="text.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(
        Task(kind=TaskKind.implement, root=str(tmp_path), target=Target.parse("text.py:shout")))
    assert result.status == RunStatus.solved, result.message
    first, second = coder_calls(scripted)
    assert [m["role"] for m in first["messages"]] == ["user"]  # no role prompt, no tests
    assert first["messages"][0]["content"].startswith("Please provide a self-contained Python")
    assert SHOUT.strip() in first["messages"][0]["content"]
    assert second["messages"][0]["role"] == "system"  # the Coder's own prompt for the repair
    assert "'HI'" in second["messages"][-1]["content"] and "'HI!'" in second["messages"][-1]["content"]
    assert result.proposer == "repair" and "repair proposer" in result.message


async def test_a_hard_task_uses_every_candidate_it_is_given(workspace, scripted):
    scripted.load([{"model": "coder", "reply": WRONG, "repeat": True}])
    events = []
    result = await make_loop(workspace, events, MICROAGENT_MAX_ITERATIONS="7").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.unchanged and result.edits == []
    assert result.iterations == 7 and len(coder_calls(scripted)) == 7
    assert "no candidate beat the original after 7 candidate(s)" in result.message
    proposers = [t["proposer"] for t in result.transcript if t.get("role") == "coder"]
    assert proposers[:2] == ["first", "repair"] and set(proposers[2:]) == {"samples"}
    temperatures = [c.get("temperature") for c in coder_calls(scripted)]
    assert temperatures[:2] == [0, 0] and all(t >= 0.8 for t in temperatures[2:])
    steps = [e.message for e in events if e.kind == EventKind.iteration]
    assert steps[0] == "candidate 1/7 (first)" and steps[-1] == "candidate 7/7 (samples)"


async def test_samples_alternate_plain_and_coder_prompts_for_a_docstring_spec(tmp_path, scripted):
    (tmp_path / "text.py").write_text(SHOUT)
    scripted.load([{"model": "coder", "reply": "no code here", "repeat": True}])
    result = await make_loop(tmp_path, MICROAGENT_MAX_ITERATIONS="5").run(
        Task(kind=TaskKind.implement, root=str(tmp_path), target=Target.parse("text.py:shout")))
    assert result.status == RunStatus.unchanged
    plain = ["Please provide" in c["messages"][0]["content"] for c in coder_calls(scripted)]
    assert plain == [True, False, True, False, True]  # first, its repair, then samples in turn


async def test_a_sampled_round_that_made_progress_is_repaired_once(tmp_path, scripted):
    write_ops(tmp_path)
    half = "def add(a, b):\n    return a + b\n"
    scripted.load([
        {"model": "coder", "reply": "nothing"},  # first: unusable
        {"model": "coder", "reply": "nothing"},  # repair: unusable, the chain ends
        {"model": "coder", "reply": fenced(half, "ops.py")},  # a sample: 1/2, progress
        {"model": "coder", "reply": fenced("def sub(a, b):\n    return a - b\n", "ops.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    sample, repair = coder_calls(scripted)[2:]
    assert sample["temperature"] >= 0.8 and repair["temperature"] == 0
    assert "return a + b" in repair["messages"][-1]["content"]  # the sample, with its failure
    assert result.proposer == "samples-repair"
    [edit] = result.edits
    assert "return a + b" in edit.content and "return a - b" in edit.content


async def test_a_schedule_of_samples_alone_starts_hot(workspace, scripted):
    (workspace / "pyproject.toml").write_text('[tool.microagent.loop]\nschedule = ["samples"]\n')
    scripted.load([{"model": "coder", "reply": RIGHT}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved and result.proposer == "samples"
    assert coder_calls(scripted)[0]["temperature"] >= 0.8
    assert (workspace / "calc.py").read_text() == CALC


async def test_the_best_attempt_wins_when_none_passes(workspace, scripted):
    (workspace / "test_calc.py").write_text(
        "from calc import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n"
        "def test_add_more():\n    assert add(1, 1) == 2 and add(0, 0) == -1\n\n\n"
        "def test_mul():\n    assert mul(2, 3) == 6\n")
    scripted.load([
        {"model": "coder", "reply": WRONG},  # 1/3, no better than the original
        {"model": "coder", "reply": RIGHT},  # 2/3: the best, kept
        {"model": "coder", "reply": fenced("def mul(a, b):\n    return 0\n")},  # breaks mul
        {"model": "coder", "reply": WRONG, "repeat": True},
    ])
    result = await make_loop(workspace, MICROAGENT_MAX_ITERATIONS="5").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.improved, result.message
    assert result.proposer == "repair"
    [edit] = result.edits
    assert "return a + b" in edit.content and "return a * b" in edit.content


async def test_a_round_of_samples_is_asked_at_once_from_a_model_that_serves_in_parallel(
        workspace, scripted):
    """With a remote Coder (here the scripted provider) and three candidates a round, the
    round's three samples are in flight together; the judge still takes them in order."""
    (workspace / "pyproject.toml").write_text(
        '[tool.microagent.loop]\nschedule = ["samples"]\ncandidates = 3\n')
    scripted.load([{"model": "coder", "reply": WRONG, "delay": 0.5},
                   {"model": "coder", "reply": RIGHT, "delay": 0.5},
                   {"model": "coder", "reply": WRONG, "delay": 0.5},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved and result.proposer == "samples"
    calls = coder_calls(scripted)
    assert [c["in_flight"] for c in calls] == [1, 2, 3]
    # The replies go out in the order the calls arrive, which a busy machine may shuffle; the
    # seeds are drawn in the samples' order. The judge takes the samples in their order and
    # stops at the one that got the right answer (the second call to arrive).
    sample = sorted(c["seed"] for c in calls).index(calls[1]["seed"]) + 1
    assert result.iterations == sample


async def test_the_embedded_model_is_asked_for_one_sample_at_a_time(workspace, scripted):
    from microagent.agents.config import RoleModel

    assert RoleModel(model="local/qwen2.5-coder-1.5b").embedded
    assert not RoleModel(model="openai/gpt-4o-mini").embedded
    assert not RoleModel(model="local/qwen2.5-coder-1.5b",
                         deployments=[{"model": "openai/q", "api_base": "http://h:8000/v1"}]).embedded


async def test_a_failing_call_in_a_round_asked_at_once_ends_the_round_and_leaves_nothing_running(
        workspace, scripted):
    (workspace / "pyproject.toml").write_text(
        '[tool.microagent.loop]\nschedule = ["samples"]\ncandidates = 3\n')
    scripted.load([{"model": "coder", "reply": WRONG, "delay": 0.5},
                   {"model": "coder", "error": "auth"},
                   {"model": "coder", "reply": RIGHT, "delay": 2.0}])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.failed and "refused the credentials" in result.message
    assert scripted.in_flight == 0  # the slow third call was cancelled, not left running
    assert (workspace / "calc.py").read_text() == CALC
