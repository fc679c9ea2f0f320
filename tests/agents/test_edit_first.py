"""The edit first: a proven fix goes out (the `proven` event, holding the solved result) before
the review runs; the review's comments come with the final result, and whatever stops the review
(a stop request, a failing Reviewer) never takes the fix back."""

import asyncio

from loop_support import fenced, make_loop
from microagent.agents.types import EventKind, RunStatus, Task, TaskKind

FIX = fenced("def add(a, b):\n    return a + b\n")
COMMENT = '[{"file": "calc.py", "line": 2, "severity": "warning", "message": "no type hints"}]'


async def test_the_proven_result_comes_before_the_review_and_the_comments_after(workspace, scripted):
    scripted.load([{"model": "coder", "reply": FIX}, {"model": "reviewer", "reply": COMMENT}])
    events = []
    result = await make_loop(workspace, events).run(Task(kind=TaskKind.fix, root=str(workspace)))

    kinds = [e.kind for e in events]
    assert kinds.index(EventKind.proven) < kinds.index(EventKind.review) < kinds.index(EventKind.finished)
    proven = next(e for e in events if e.kind == EventKind.proven)
    early = proven.result
    assert early.status == RunStatus.solved and early.comments == []
    assert [e.content for e in early.edits] == [e.content for e in result.edits]
    assert "return a + b" in early.edits[0].content
    assert [c.message for c in result.comments] == ["no type hints"]
    assert 0 < result.seconds["to_edit"] <= result.seconds["total"]
    assert early.seconds["to_edit"] == result.seconds["to_edit"]


async def test_a_stop_during_the_review_keeps_the_fix(workspace, scripted):
    scripted.load([{"model": "coder", "reply": FIX},
                   {"model": "reviewer", "reply": COMMENT, "delay": 60}])
    events = []
    loop = make_loop(workspace, events)
    running = asyncio.ensure_future(loop.run(Task(kind=TaskKind.fix, root=str(workspace))))
    while not any(e.kind == EventKind.proven for e in events):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # the Reviewer is being asked
    loop.stop()
    result = await asyncio.wait_for(running, 10)

    assert result.status == RunStatus.solved, result.message
    assert "return a + b" in result.edits[0].content
    assert result.comments == [] and "the review was stopped" in result.message


async def test_a_failing_reviewer_keeps_the_fix_and_says_so(workspace, scripted):
    scripted.load([{"model": "coder", "reply": FIX},
                   {"model": "reviewer", "error": "auth", "repeat": True}])
    result = await make_loop(workspace).run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved and result.edits
    assert "the review failed" in result.message


async def test_a_fix_with_the_review_off_is_edited_at_its_end(workspace, scripted):
    scripted.load([{"model": "coder", "reply": FIX}])
    events = []
    result = await make_loop(workspace, events, MICROAGENT_REVIEW="0").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    assert EventKind.proven not in [e.kind for e in events]
    assert result.seconds["to_edit"] == result.seconds["total"]
