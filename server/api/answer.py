"""Turns a RunResult into what an OpenAI client expects: the assistant's text (one outcome line
and the final code in one fenced block), `usage` summed over every role, and our `microagent`
field with the details. Also the pieces of the same answer as streamed chunks.

Pure: it formats, it never decides an outcome the RunResult does not state.
"""

from __future__ import annotations

from typing import Any

from microagent.agents.types import Event, RunResult, RunStatus

_LEADS = {
    RunStatus.solved: "Solved",
    RunStatus.improved: "Partly fixed",
    RunStatus.unchanged: "Unchanged",
    RunStatus.failed: "Failed",
    RunStatus.cancelled: "Cancelled",
    RunStatus.budget: "Stopped by a budget",
}


def answer_text(result: RunResult, module: str) -> str:
    edit = next((e for e in result.edits if e.path == module), None) or \
        next(iter(result.edits), None)
    lines = [outcome_line(result)]
    if edit is not None:
        lines += ["", "```python", f"# file: {edit.path}", edit.content.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def outcome_line(result: RunResult) -> str:
    lead = _LEADS[result.status]
    tests = result.report.summary() if result.report else None
    rounds = f"{result.iterations} candidate{'s' if result.iterations != 1 else ''}"
    if result.mutants:
        rounds += f" and {result.mutants} one-edit mutant{'s' if result.mutants != 1 else ''}"
    if result.proposer and result.status in (RunStatus.solved, RunStatus.improved):
        rounds += f" (the {result.proposer} proposer's)"
    if result.status in (RunStatus.solved, RunStatus.improved):
        return f"{lead}: {tests} after {rounds}."
    if result.status == RunStatus.budget:
        return f"{lead}: {result.message}; best so far {tests or 'untested'} after {rounds}."
    return f"{lead}: {result.message}."


def usage(result: RunResult) -> dict[str, int]:
    prompt = sum(u.prompt_tokens for u in result.usage.values())
    completion = sum(u.completion_tokens for u in result.usage.values())
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}


def details(result: RunResult, request_id: str, wall_seconds: float) -> dict[str, Any]:
    """The `microagent` field of the final answer."""
    report = result.report
    return {
        "request_id": request_id,
        "status": result.status.value,
        "message": result.message,
        "kind": result.task.kind.value,
        "iterations": result.iterations,
        "tests": None if report is None else {
            "summary": report.summary(), "passed": len(report.passed),
            "failed": len(report.failed), "total": len(report.cases)},
        "comments": [c.model_dump() for c in result.comments],
        "edits": [{"path": e.path, "diff": e.diff} for e in result.edits],
        "usage": {role: {**u.model_dump(), "total_tokens": u.tokens}
                  for role, u in result.usage.items()},
        "cost_usd": result.cost_usd,
        "seconds": round(wall_seconds, 3),
        "phase_seconds": {k: round(v, 3) for k, v in result.seconds.items()},
    }


def completion(result: RunResult, *, request_id: str, model: str, created: int, module: str,
               wall_seconds: float) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{request_id}",
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": answer_text(result, module)}}],
        "usage": usage(result),
        "microagent": details(result, request_id, wall_seconds),
    }


def chunk(*, request_id: str, model: str, created: int, delta: dict[str, Any] | None = None,
          finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
    """One `chat.completion.chunk`; `extra` adds top-level fields (`microagent`, `usage`)."""
    return {"id": f"chatcmpl-{request_id}", "object": "chat.completion.chunk", "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish_reason,
                         "logprobs": None}], **extra}


def progress(event: Event) -> dict[str, Any]:
    """The `microagent` field of an intermediate chunk."""
    return {"event": event.kind.value, "message": event.message, "iteration": event.iteration,
            "max_iterations": event.max_iterations, "passed": event.passed, "total": event.total}
