"""How the loop moves on after a failed answer, with scripted models and the process sandbox:
an echo or a docstring-only edit is no change, a fresh start shows the original code and samples
hot, and a failed fix is followed by the line-repair round."""


from microagent.agents.types import RunStatus, Task, TaskKind
from loop_support import write_ops, coder_prompts, fenced, make_loop


async def test_a_repair_that_echoes_the_failed_attempt_starts_fresh_and_hotter(workspace, scripted):
    wrong = "def add(a, b):\n    return a * b\n"
    scripted.load([
        {"model": "coder", "reply": fenced(wrong)},  # fails: 6 != 5
        {"model": "coder", "reply": fenced(wrong)},  # the repair echoes it
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    calls = [c for c in scripted.calls if c["model"] == "coder"]
    first, repair, fresh = (c["messages"][-1]["content"] for c in calls)
    assert "return a * b" in repair and "assert 6 == 5" in repair
    assert "return a * b" not in fresh and "assert -1 == 5" in fresh  # back to the original
    temperatures = [c.get("temperature") for c in calls]
    assert temperatures[0] == temperatures[1] == 0 and temperatures[2] >= 0.8


async def test_an_answer_that_changes_only_a_docstring_is_no_change(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced('def add(a, b):\n    """Add."""\n    return a - b\n')},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    assert "changed only comments, docstrings" in coder_prompts(scripted)[1]


async def test_a_failed_fix_is_followed_by_a_line_round_that_the_tests_choose_from(workspace,
                                                                                  scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},  # wrong
        {"model": "coder", "reply": "The bug is on line 2: return a - b"},  # names it, unchanged
        {"model": "coder", "reply": "```python\nreturn a + b\n```"},  # line 2, rewritten
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace, MICROAGENT_LINE_TRIES="12").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    assert result.iterations == 2
    [edit] = result.edits
    assert "    return a + b\n" in edit.content and "return a * b\n" in edit.content  # mul kept
    calls = [c for c in scripted.calls if c["model"] == "coder"]
    locate, rewrite = (c["messages"][-1]["content"] for c in calls[1:])
    assert "   2 |     return a - b" in locate and "assert -1 == 5" in locate
    assert "Line 2 is wrong: `return a - b`" in rewrite and rewrite.startswith(locate[:80])
    tried = [t.get("tests") for t in result.transcript if t.get("strategy", "").startswith("line")]
    assert tried == [None, "2/2 tests passing"]


async def test_a_line_rewritten_unchanged_is_asked_again_sampled(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},  # wrong
        {"model": "coder", "reply": "line 2: return a - b"},  # names it, unchanged
        {"model": "coder", "reply": "```python\nreturn a - b\n```"},  # greedy: the same line
        {"model": "coder", "reply": "```python\nreturn a + b\n```"},  # sampled: the fix
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace, MICROAGENT_LINE_TRIES="12").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    rewrites = [c for c in scripted.calls if c["model"] == "coder"][2:]
    assert [c["messages"] for c in rewrites][0] == [c["messages"] for c in rewrites][1]
    assert [c.get("temperature") for c in rewrites] == [0, 0.8]


async def test_the_named_line_is_asked_again_sampled_when_its_rewrite_fails(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},  # wrong
        {"model": "coder", "reply": "line 2: return a * 2"},  # the right line, a wrong fix
        {"model": "coder", "reply": "```python\nreturn a * b\n```"},  # greedy: wrong again
        {"model": "coder", "reply": "```python\nreturn a + b\n```"},  # sampled: the fix
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace, MICROAGENT_LINE_TRIES="12").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    tried = [(t.get("temperature"), t.get("tests")) for t in result.transcript
             if t.get("strategy") == "line-rewrite"]
    assert tried == [(0, "1/2 tests passing"), (0.8, "2/2 tests passing")]


async def test_a_line_round_takes_a_whole_function_answer_too(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace, MICROAGENT_LINE_TRIES="2").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved and result.iterations == 2


async def test_a_fresh_start_shows_the_original_code_not_the_best_attempt(tmp_path, scripted):
    write_ops(tmp_path)
    half = "def add(a, b):\n    return a + b\n"
    scripted.load([
        {"model": "coder", "reply": fenced(half, "ops.py")},  # 1/2: the new best
        {"model": "coder", "reply": fenced(half, "ops.py")},  # its repair echoes it
        {"model": "coder", "reply": fenced(half + "\n\ndef sub(a, b):\n    return a - b\n",
                                           "ops.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    calls = [c for c in scripted.calls if c["model"] == "coder"]
    repair, fresh = (c["messages"][-1]["content"] for c in calls[1:])
    assert "return a + b" in repair  # the repair works on the best attempt
    assert "return a * b" in fresh and "return a + b" not in fresh  # fresh: the original
    assert calls[2]["temperature"] >= 0.8
