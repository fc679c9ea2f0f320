"""Runs the repair set (`bench/repair_tasks.py`) through the path of `microagent fix . --apply`:
`run_task` on a fresh copy of the task's files, then `apply_edits`; a task is solved when its
pytest passes in the sandbox afterwards and its test file is byte-identical.

The task's answer key (`task.json`) never reaches the workspace. One JSON line per task, so a
stopped run resumes; nothing here changes how the loop works.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from microagent.server.cli.apply import ApplyReport, apply_edits
from microagent.agents.config import Config
from microagent.agents.models.client import ModelClient
from microagent.agents.runtime import run_task
from microagent.agents.types import RunStatus, Target, Task, TaskKind
from microagent.bench.humaneval import Bench, BenchError, ResultsFile, settings_of
from microagent.bench.repair_tasks import MODULE, SET_FILE, TEST_FILE, RepairTask
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Sandbox

MODES = ("single", "loop")
RESULTS_DIR = Path(__file__).parent / "results"
SCORE_TIMEOUT = 60.0
FEEDBACK_MARKER = "What happened when the tests ran:"


def file_stem(model: str, mode: str) -> str:
    """`repair-local-qwen2.5-coder-1.5b-loop`: the model name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-.") or "model"
    return f"repair-{safe}-{mode}"


def repair_settings(config: Config, mode: str, set_dir: Path) -> dict[str, Any]:
    """What makes two runs comparable: the loop's settings and the set's seed."""
    described = _set_description(set_dir)
    return {**settings_of(config, mode), "line_tries": config.loop.line_tries,
            "set_seed": described.get("seed")}


class RepairBench(Bench):
    """Runs tasks one at a time in one fixed temporary folder (a fresh copy of each task's
    files every time), so a warm Docker container serves the whole run."""

    def __init__(self, config: Config, mode: str, sandbox: Sandbox, set_dir: Path, *,
                 client_factory: Callable[[Config], ModelClient] = ModelClient,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: use one of {', '.join(MODES)}")
        super().__init__(config, mode, sandbox, repair_settings(config, mode, set_dir),
                         "microagent-repair-", client_factory, clock)
        self.set_dir = set_dir

    async def solve(self, task: RepairTask) -> dict:
        source = self.set_dir / task.folder
        self.empty_workspace()
        for name in (MODULE, TEST_FILE):  # never task.json: it holds the answer
            shutil.copyfile(source / name, self.workspace / name)
        test_bytes = (source / TEST_FILE).read_bytes()
        client = self._client_factory(self.config)
        started = self._clock()
        # What `microagent fix . --apply` does: run the task, then write the edits it returns.
        result = await run_task(Task(kind=TaskKind.fix, root=str(self.workspace), target=Target()),
                                self.config, sandbox=self.sandbox, client=client)
        if result.status == RunStatus.failed and not result.transcript:
            # The model or the sandbox could not run at all: stop rather than record a
            # failure the model never had a chance at.
            raise BenchError(f"{task.task_id}: {result.message}")
        applied = apply_edits(self.workspace, result.edits) if result.edits else ApplyReport()
        seconds = self._clock() - started
        report = await self.sandbox.run_tests(read_workspace(self.workspace), timeout=SCORE_TIMEOUT)
        identical = (self.workspace / TEST_FILE).read_bytes() == test_bytes
        solved = report.ok and identical
        usage = {role: u.model_dump(exclude={"cost_usd"}) for role, u in result.usage.items()}
        record = {
            "task_id": task.task_id, "settings": self.settings, "revision": self.revision,
            "kind": task.mutation.kind, "solved": solved, "status": result.status.value,
            "message": result.message, "iterations": result.iterations,
            "tokens": result.tokens, "usage": usage, "seconds": round(seconds, 2),
            "phases": {k: round(v, 2) for k, v in result.seconds.items()},
            "tests_after": report.summary(), "test_file_identical": identical,
            "written": applied.written, "refused": applied.refused,
            "diff": "\n".join(e.diff for e in result.edits),
            "attempts": [_attempt(t) for t in result.transcript if t.get("role") == "coder"],
        }
        if not solved:
            record["failure"] = _tail(report.output, 15) or report.summary()
        return record


def _attempt(entry: dict) -> dict:
    """One Coder call, kept for failure analysis: the feedback it was given and its answer."""
    prompt = entry["messages"][-1]["content"] if entry.get("messages") else ""
    _, marker, feedback = prompt.partition(FEEDBACK_MARKER)
    return {"iteration": entry.get("iteration"), "temperature": entry.get("temperature"),
            "feedback": feedback.strip() if marker else prompt, "reply": entry.get("reply", ""),
            "problem": entry.get("problem"), "tests": entry.get("tests")}


def _tail(text: str, lines: int) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


def _set_description(set_dir: Path) -> dict:
    path = set_dir / SET_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def summarize(records: list[dict], settings: dict[str, Any], set_size: int | None,
              command: str = "") -> dict:
    """The solve rate and what it cost, over the tasks run so far, and every task's outcome."""
    records = sorted(records, key=lambda r: int(r["task_id"].rsplit("/", 1)[1]))
    n = len(records)
    solved = [r for r in records if r["solved"]]
    roles = sorted({role for r in records for role in r["usage"]})
    kinds: dict[str, dict[str, int]] = {}
    for r in records:
        k = kinds.setdefault(r["kind"], {"solved": 0, "of": 0})
        k["of"] += 1
        k["solved"] += r["solved"]
    return {
        "benchmark": "HumanEval repair", "settings": settings, "command": command,
        "tasks": n, "set_size": set_size, "complete": n == set_size,
        "solved": len(solved), "solve_rate": round(len(solved) / n, 4) if n else None,
        **_first_attempts(records),
        "mean_iterations": _mean([r["iterations"] for r in records]),
        "tokens_per_task": _mean([r["tokens"] for r in records], 1),
        "tokens_per_task_by_role": {
            role: _mean([sum(r["usage"].get(role, {}).get(k, 0)
                             for k in ("prompt_tokens", "completion_tokens")) for r in records], 1)
            for role in roles},
        "wall_seconds": round(sum(r["seconds"] for r in records), 1),
        "seconds_per_task": _mean([r["seconds"] for r in records], 1),
        "statuses": dict(Counter(r["status"] for r in records)),
        "by_kind": kinds,
        "test_file_changed": [r["task_id"] for r in records if not r["test_file_identical"]],
        "outcomes": {r["task_id"]: {"solved": r["solved"], "kind": r["kind"], "status": r["status"],
                                    "iterations": r["iterations"], "tokens": r["tokens"],
                                    "seconds": r["seconds"]}
                     for r in records},
    }


def _first_attempts(records: list[dict]) -> dict:
    """Loop mode: how many tasks the loop's first Coder call (greedy, the same call single mode
    makes) already fixed, and which the later iterations rescued."""
    if not records or records[0]["settings"].get("mode") != "loop":
        return {}
    first = {r["task_id"]: _first_passed(r) for r in records}
    return {"first_attempt_solved": sum(first.values()),
            "first_attempt_solve_rate": round(sum(first.values()) / len(records), 4),
            "rescued_by_the_loop": [r["task_id"] for r in records
                                    if r["solved"] and not first[r["task_id"]]]}


def _first_passed(record: dict) -> bool:
    attempts = record.get("attempts") or []
    return bool(record["solved"] and record["iterations"] == 1) or (
        bool(attempts) and attempt_passed(attempts[0]))


def attempt_passed(attempt: dict) -> bool:
    """A recorded Coder call whose answer passed its tests without breaking passing ones."""
    tests = attempt.get("tests") or ""
    done, _, total = tests.partition(" tests passing")[0].partition("/")
    return bool(total) and done == total and "breaks" not in tests


def _mean(values: list[float], digits: int = 2) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def write_summary(results: ResultsFile, set_size: int | None, command: str = "") -> tuple[Path, dict]:
    summary = summarize(list(results.records.values()), results.settings, set_size, command)
    path = results.path.with_suffix(".json")
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path, summary
