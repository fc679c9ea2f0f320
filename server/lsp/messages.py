"""Sentences for the editor user: progress lines made from loop events, outcomes, refusals.
Errors from the agents and the sandbox are written for the CLI ("--backend process"); here they
are reworded to name the editor setting that fixes them.
"""

from __future__ import annotations

import re

from microagent.agents.types import Event, EventKind, RunResult, RunStatus

SETTING = "microagent.sandbox.backend"
_CLI_BACKEND = re.compile(r"--backend (\w+)( or --backend (\w+))?")


def for_editor(message: str) -> tuple[str, str]:
    """(what the user sees, details for the log) for an error message from agents or sandbox."""
    details = message.strip()
    if "Docker engine" in details and ("reach" in details or "not running" in details):
        return (f"Docker engine not reachable: start it, or set {SETTING} to \"process\" "
                "(weak isolation) or \"bubblewrap\".", details)
    short = _CLI_BACKEND.sub(
        lambda m: f'set {SETTING} to "{m.group(1)}"' + (f' or "{m.group(3)}"' if m.group(3) else ""),
        details)
    return short.replace("`microagent sandbox build`", "`microagent sandbox build` in a terminal"), details


def outcome(title: str, result: RunResult) -> str:
    """One line for the end of the progress bar and the summary message."""
    status = {RunStatus.solved: "solved", RunStatus.improved: "partly fixed",
              RunStatus.unchanged: "no change", RunStatus.failed: "failed",
              RunStatus.cancelled: "cancelled", RunStatus.budget: "budget used up"}[result.status]
    return f"{title}: {status} — {result.message}"


def refused(files: list[str], reason: str) -> str:
    names = ", ".join(files)
    return (f"micro-agent did not change {names}: {reason}. Run \"micro-agent: apply last "
            "result\" (microagent.applyLast) to redo it against the current text.")


class StatusLine:
    """Turns loop events into progress messages: "candidate 2/24 · 3/5 tests passing"."""

    def __init__(self) -> None:
        self.iteration, self.max, self.percent = 0, 0, 0
        self.passed: int | None = None
        self.total: int | None = None

    def update(self, event: Event) -> tuple[str, int] | None:
        self.max = event.max_iterations or self.max
        label = event.data.get("label")
        mutant = str(label or "").startswith("mutant ")  # one-edit mutants come before the Coder
        counted = event.kind == EventKind.iteration or label in ("initial", "candidate") or mutant
        if counted and event.total:
            self.passed, self.total = event.passed, event.total
        if event.kind == EventKind.iteration:
            self.iteration = event.iteration
        tests = f"{self.passed}/{self.total} tests passing" if self.total else None
        if event.kind == EventKind.finished:
            return None
        if event.kind == EventKind.started:
            return self._line("running the tests", 1)
        if event.kind == EventKind.environment:  # before the first test: a build, once
            return self._line(f"environment: {event.message}"[:200], 2)
        if event.kind == EventKind.review:
            return self._line(event.message, 95)
        if self.iteration == 0 or not self.max:
            return self._line(event.message if mutant else tests or event.message, 3)
        phase = {EventKind.iteration: "coder writing",
                 EventKind.model_call: "testing the candidate"}.get(event.kind)
        if event.kind == EventKind.tests and not counted:
            phase = "checking the other tests"
        step = {EventKind.iteration: 0.0, EventKind.model_call: 0.5}.get(event.kind, 1.0)
        text = " · ".join(p for p in (f"candidate {self.iteration}/{self.max}", tests, phase) if p)
        return self._line(text, int(90 * (self.iteration - 1 + step) / self.max) + 5)

    def _line(self, text: str, percent: int) -> tuple[str, int]:
        self.percent = max(self.percent, min(percent, 99))  # a bar never runs backwards
        return text, self.percent
