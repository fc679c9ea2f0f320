"""Sentences for the editor user. Errors from the agents and the sandbox are written for the
CLI ("--backend process"); here they are reworded to name the editor setting that fixes them.
"""

from __future__ import annotations

import re

from agents.types import RunResult, RunStatus

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
