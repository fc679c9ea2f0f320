"""HumanEval pass@1 for microagent: one greedy Coder pass (`single`), the micro-agent loop
(`loop`), or, as a reference, one greedy answer to a plain instruction (`plain`) on each
problem, scored by the problem's official hidden test in the sandbox.

The hidden test never reaches a workspace, a prompt or a role: it is run only to score, in a
sandbox workspace of its own. Results go one JSON line per problem, so a stopped run resumes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping

from microagent.agents.coder import Coder
from microagent.agents.config import Config, load_config
from microagent.languages.python.context import Context, Piece
from microagent.agents.errors import ModelError
from microagent.agents.models.client import ModelClient
from microagent.languages.python.replies import extract_code_blocks
from microagent.agents.runtime import run_task
from microagent.agents.selection import EXAMPLES_FILE, plan_tests
from microagent.languages.python.splice import splice_definitions
from microagent.agents.types import RunResult, Target, Task, TaskKind
from microagent.bench.humaneval_tasks import CHECK, SOLUTION, Problem, scoring_files, workspace_files
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Sandbox, WorkspaceSnapshot

MODES = ("plain", "single", "loop")
RESULTS_DIR = Path(__file__).parent / "results"
SCORE_TIMEOUT = 10.0
DATASET_SIZE = 164

class BenchError(Exception):
    """The bench cannot go on (no model, no sandbox); finished problems are kept."""


def bench_config(mode: str, overrides: Mapping[str, Any] | None = None, *,
                 max_iterations: int | None = None, review: bool = False,
                 backend: str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The run's configuration: `single` (and `plain`) is one iteration, one candidate, no
    review."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: use one of {', '.join(MODES)}")
    merged = dict(overrides or {})
    if mode in ("single", "plain"):
        merged.update({"loop.max_iterations": 1, "loop.candidates": 1, "loop.review": False,
                       "loop.mutants": 0})  # one model answer, nothing mechanical besides
    else:
        merged["loop.review"] = review
        if max_iterations:
            merged["loop.max_iterations"] = max_iterations
    if backend:
        merged["sandbox.backend"] = backend
    return load_config(None, overrides=merged, env=env)


def file_stem(model: str, mode: str) -> str:
    """`humaneval-local-qwen2.5-coder-1.5b-loop`: the model name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-.") or "model"
    return f"humaneval-{safe}-{mode}"


def settings_of(config: Config, mode: str) -> dict[str, Any]:
    """What makes two runs comparable; a results file holds runs of one setting only."""
    return {"mode": mode, "coder": config.coder.model, "tester": config.tester.model,
            "reviewer": config.reviewer.model, "temperature": config.coder.temperature,
            "max_iterations": config.loop.max_iterations, "candidates": config.loop.candidates,
            "agree": config.loop.agree, "review": config.loop.review}


@dataclass
class ResultsFile:
    """One JSON line per problem, appended as each finishes; the latest line for an id wins."""

    path: Path
    settings: dict[str, Any]
    records: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path, settings: dict[str, Any]) -> "ResultsFile":
        found = cls(path, settings)
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a killed run: redo it
                    continue
                if record.get("settings") != settings:
                    raise ValueError(
                        f"{path} line {number} was made with other settings "
                        f"({record.get('settings')}); move the file away or pass another "
                        "--results-dir to start over")
                found.records[record["task_id"]] = record
        return found

    async def run_missing(self, items: list, solve: Callable[[Any], Awaitable[dict]],
                          on_result: Callable[[dict], Any] | None = None) -> list[dict]:
        """Solve each item (a problem or a task, by its `task_id`) not in the file yet, appending
        its record as it finishes; the records of this call, in order."""
        done = []
        for item in items:
            if item.task_id in self.records:
                continue
            record = await solve(item)
            self.append(record)
            done.append(record)
            if on_result:
                on_result(record)
        return done

    def append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
        self.records[record["task_id"]] = record


class Bench(ABC):
    """What the benchmarks share: the configuration and sandbox of one run, one fixed
    `workspace` folder in a temporary folder, emptied before each task (so one warm Docker
    container serves the whole run), and resuming a results file. `solve` is each bench's own."""

    def __init__(self, config: Config, mode: str, sandbox: Sandbox, settings: dict[str, Any],
                 prefix: str, client_factory: Callable[[Config], ModelClient],
                 clock: Callable[[], float]) -> None:
        self.config, self.mode, self.sandbox, self.settings = config, mode, sandbox, settings
        self._client_factory = client_factory
        self._clock = clock
        self._dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.workspace = self._dir / "workspace"
        self.workspace.mkdir()
        self.revision = _revision()

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def empty_workspace(self) -> None:
        for child in self.workspace.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    async def run(self, items: list, results: ResultsFile,
                  on_result: Callable[[dict], Any] | None = None) -> list[dict]:
        """Solve each item not yet in `results`; skip those that are."""
        return await results.run_missing(items, self.solve, on_result)

    @abstractmethod
    async def solve(self, item: Any) -> dict:
        """Run one problem or task from an empty workspace and return its record."""


class HumanEvalBench(Bench):
    """Runs problems one at a time with one sandbox. The loop's workspace and the scoring
    workspace are two fixed folders, so a warm Docker container serves each of them."""

    def __init__(self, config: Config, mode: str, sandbox: Sandbox, *,
                 client_factory: Callable[[Config], ModelClient] = ModelClient,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(config, mode, sandbox, settings_of(config, mode), "microagent-humaneval-",
                         client_factory, clock)
        self._score_root = str(self._dir / "score")  # never on disk: a snapshot root only

    async def solve(self, problem: Problem) -> dict:
        self.empty_workspace()
        for path, text in workspace_files(problem).items():
            (self.workspace / path).write_text(text, encoding="utf-8")
        task = Task(kind=TaskKind.implement, root=str(self.workspace), target=Target.parse(problem.target))
        snapshot = read_workspace(self.workspace)
        plan = plan_tests(task, snapshot)
        client = self._client_factory(self.config)
        started = self._clock()
        if self.mode == "plain":
            record = await self._plain(problem, client)
            record["visible_tests"] = 0 if plan.problem else \
                plan.snapshot.text(EXAMPLES_FILE).count("\ndef test_")
        elif plan.problem:  # no docstring example: the loop has nothing to test against
            record = await self._one_pass(problem, snapshot, client)
            record.update(visible_tests=0, fallback="single", note=plan.problem)
        else:
            result = await run_task(task, self.config, sandbox=self.sandbox, client=client)
            if result.status.value == "failed" and not result.transcript:
                # The model or the sandbox could not run at all: no answer to score. Stop
                # rather than record a failure the model never had a chance at.
                raise BenchError(f"{problem.task_id}: {result.message}")
            record = self._from_run(problem, snapshot, client, result)
            record["visible_tests"] = plan.snapshot.text(EXAMPLES_FILE).count("\ndef test_")
        record["seconds"] = round(self._clock() - started, 2)
        first_text = record.pop("first_text", None)
        record.update(await self.score(problem, record.pop("solution_text")))
        if first_text is not None:  # the loop's own first answer, scored as a single pass
            record["first_attempt_passed"] = await self._passes(problem, first_text, record)
        first_pass = record.pop("first_pass_text", None)
        if first_pass is not None:  # what stopping at the first pass would have returned
            record["first_pass_passed"] = await self._passes(problem, first_pass, record)
        return {"task_id": problem.task_id, "settings": self.settings, "revision": self.revision,
                **record}

    async def score(self, problem: Problem, solution: str) -> dict:
        return await score(self.sandbox, problem, solution, self._score_root)

    async def _passes(self, problem: Problem, solution: str, record: dict) -> bool:
        """Whether another answer of the run passes the hidden test (the record's own verdict
        when it is the returned solution)."""
        if solution == record["solution"]:
            return record["passed"]
        return (await self.score(problem, solution))["passed"]

    def _from_run(self, problem: Problem, snapshot: WorkspaceSnapshot, client: ModelClient,
                  result: RunResult) -> dict:
        solution = next((e.content for e in result.edits if e.path == SOLUTION), None)
        returned = solution is not None
        # The first greedy answer, scored whatever the visible tests said of it: the single
        # pass, and in loop mode the same call the loop started from.
        first = next((t for t in result.transcript if t.get("role") == "coder"), None)
        first_text = problem.prompt
        if first and not first.get("problem"):
            first_text = Coder(client).apply(first["reply"], snapshot, _context(problem),
                                             {}).files.get(SOLUTION, problem.prompt)
        first_pass = next((t["passed_files"].get(SOLUTION) for t in result.transcript
                           if t.get("passed_files")), None)
        if solution is None and self.mode == "single":
            solution = first_text
        return {
            **({"first_text": first_text} if self.mode == "loop" else {}),
            **({"first_pass_text": first_pass} if first_pass is not None else {}),
            "status": result.status.value, "message": result.message,
            "visible": result.report.summary() if result.report else None,
            "iterations": result.iterations, "returned_edit": returned, "proposer": result.proposer,
            **_usage(client), "phases": {k: round(v, 2) for k, v in result.seconds.items()},
            "attempts": [_attempt(t) for t in result.transcript if t.get("role") == "coder"],
            "solution_text": solution if solution is not None else problem.prompt,
        }

    async def _one_pass(self, problem: Problem, snapshot: WorkspaceSnapshot,
                        client: ModelClient) -> dict:
        """The loop's first call without tests to run: the first proposer's plain prompt on the
        module (its docstring is the whole spec)."""
        coder, context = Coder(client), _context(problem)
        messages = coder.plain_messages(snapshot.text(SOLUTION))
        try:
            reply = await coder.propose(messages, temperature=self.config.coder.temperature)
        except ModelError as exc:
            return {"status": "failed", "message": str(exc), "iterations": 0, "returned_edit": False,
                    **_usage(client), "attempts": [], "solution_text": problem.prompt}
        candidate = coder.apply(reply.text, snapshot, context, {})
        attempt = {"iteration": 1, "role": "coder", "temperature": self.config.coder.temperature,
                   "messages": messages, "reply": reply.text, "problem": candidate.problem}
        return {"status": "single", "message": candidate.problem or "one pass, not tested",
                "visible": None, "iterations": 1, "returned_edit": SOLUTION in candidate.files,
                **_usage(client), "attempts": [_attempt(attempt)],
                "solution_text": candidate.files.get(SOLUTION, problem.prompt)}

    async def _plain(self, problem: Problem, client: ModelClient) -> dict:
        """One greedy answer to a plain instruction: no role prompt, no tests, no loop."""
        messages = Coder(client).plain_messages(problem.prompt)
        try:
            reply = await client.complete("coder", messages,
                                          temperature=self.config.coder.temperature)
        except ModelError as exc:
            raise BenchError(f"{problem.task_id}: {exc}") from exc
        blocks = [b.code for b in extract_code_blocks(reply.text) if b.code.strip()]
        code = next((b for b in blocks if f"def {problem.entry_point}(" in b), None)
        spliced = splice_definitions(problem.prompt, code) if code else None
        usable = spliced is not None and not spliced.error
        attempt = {"iteration": 1, "temperature": self.config.coder.temperature,
                   "messages": messages, "reply": reply.text,
                   "problem": None if usable else "no usable definition in the answer"}
        return {"status": "plain", "message": attempt["problem"] or "one plain answer",
                "visible": None, "iterations": 1, "returned_edit": usable, **_usage(client),
                "attempts": [_attempt(attempt)],
                "solution_text": spliced.content if usable else problem.prompt}


async def score(sandbox: Sandbox, problem: Problem, solution: str, root: str) -> dict:
    """Run the hidden test on `solution` in a sandbox workspace of its own (`root` names it,
    nothing is written there). A SandboxError propagates: it is no verdict on the code."""
    snapshot = WorkspaceSnapshot(root=root).with_files(scoring_files(problem, solution))
    result = await sandbox.run(snapshot, ["python3", CHECK], timeout=SCORE_TIMEOUT)
    passed = result.exit_code == 0 and not result.timed_out
    return {"passed": passed, "solution": solution,
            "score": {"exit_code": result.exit_code, "timed_out": result.timed_out,
                      "output": "" if passed else _tail(result.output, 12)}}


def _revision() -> str | None:
    """The commit the code under measurement came from (`-dirty`: with local changes)."""
    try:
        out = subprocess.run(["git", "-C", str(Path(__file__).parent), "describe", "--always",
                              "--dirty"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _context(problem: Problem) -> Context:
    return Context(tests=[], code=[Piece(SOLUTION, problem.prompt)], target_files=[SOLUTION],
                   wanted_names=[problem.entry_point], missing={problem.entry_point: SOLUTION})


def _usage(client: ModelClient) -> dict:
    usage = client.usage_by_role()
    prompt = sum(u.prompt_tokens for u in usage.values())
    completion = sum(u.completion_tokens for u in usage.values())
    return {"calls": {role: u.calls for role, u in usage.items()}, "prompt_tokens": prompt,
            "completion_tokens": completion, "tokens": prompt + completion}


def _attempt(entry: dict) -> dict:
    """One Coder call, kept for failure analysis: the feedback it was given and its answer."""
    prompt = entry["messages"][-1]["content"] if entry.get("messages") else ""
    _, marker, feedback = prompt.partition("What happened when the tests ran:")
    return {"iteration": entry.get("iteration"), "temperature": entry.get("temperature"),
            "feedback": feedback.strip() if marker else prompt, "reply": entry.get("reply", ""),
            "problem": entry.get("problem"), "tests": entry.get("tests"),
            "proposer": entry.get("proposer")}


def _tail(text: str, lines: int) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


def summarize(records: list[dict], settings: dict[str, Any], command: str = "") -> dict:
    """pass@1 and what it cost, over the problems run so far, and every problem's outcome."""
    records = sorted(records, key=lambda r: int(r["task_id"].rsplit("/", 1)[1]))
    n = len(records)
    solved = [r for r in records if r["passed"]]
    tokens = sum(r["tokens"] for r in records)
    looped = [r for r in records if r.get("fallback") is None]
    visible_ok_hidden_fail = [r["task_id"] for r in records
                              if r.get("status") == "solved" and not r["passed"]]
    return {
        "benchmark": "HumanEval", "settings": settings, "command": command,
        "problems": n, "dataset_size": DATASET_SIZE, "complete": n == DATASET_SIZE,
        "passed": len(solved), "pass_at_1": round(len(solved) / n, 4) if n else None,
        **_first_attempts(records),
        "mean_iterations": _mean([r["iterations"] for r in records]),
        "mean_iterations_looped": _mean([r["iterations"] for r in looped]),
        "tokens_per_problem": _mean([r["tokens"] for r in records], 1),
        "completion_tokens_per_problem": _mean([r["completion_tokens"] for r in records], 1),
        "tokens_per_solved_problem": round(tokens / len(solved), 1) if solved else None,
        "coder_calls_per_problem": _mean([r["calls"].get("coder", 0) for r in records]),
        "wall_seconds": round(sum(r["seconds"] for r in records), 1),
        "seconds_per_problem": _mean([r["seconds"] for r in records], 1),
        "statuses": dict(Counter(r["status"] for r in records)),
        "solved_by": dict(Counter(_proposer(r) or "none" for r in solved)),
        "no_visible_tests": [r["task_id"] for r in records if r.get("fallback")],
        "visible_tests_passed_hidden_failed": visible_ok_hidden_fail,
        "outcomes": {r["task_id"]: {"passed": r["passed"], "status": r["status"],
                                    "visible": r.get("visible"), "iterations": r["iterations"],
                                    "tokens": r["tokens"], "seconds": r["seconds"],
                                    "proposer": _proposer(r)}
                     for r in records},
    }


def _proposer(record: dict) -> str | None:
    """Which proposer made the returned code ("single" for a problem with no visible test)."""
    if record.get("fallback"):
        return "single"
    found = re.search(r"\(the ([\w-]+) proposer's\)", record.get("message") or "")
    return record.get("proposer") or (found.group(1) if found else None)


def _first_attempts(records: list[dict]) -> dict:
    """Loop mode: how the loop's own first greedy answers scored (no-example problems, run as
    one pass, count with their result), so single pass and loop compare on the same calls."""
    if not records or not any("first_attempt_passed" in r for r in records):
        return {}
    passed = sum(r.get("first_attempt_passed", r["passed"]) for r in records)
    rescued = [r["task_id"] for r in records if r["passed"] and not r.get("first_attempt_passed", True)]
    lost = [r["task_id"] for r in records if not r["passed"] and r.get("first_attempt_passed")]
    chosen = [r for r in records if "first_pass_passed" in r]
    return {"first_attempt_passed": passed,
            "first_attempt_pass_at_1": round(passed / len(records), 4),
            "rescued_by_the_loop": rescued, "lost_by_the_loop": lost,
            # where the Tester's inputs chose among passing candidates: the first pass against it
            "first_pass_passed": sum(r.get("first_pass_passed", r["passed"]) for r in records),
            "won_by_choosing": [r["task_id"] for r in chosen if r["passed"] and not r["first_pass_passed"]],
            "lost_by_choosing": [r["task_id"] for r in chosen if not r["passed"] and r["first_pass_passed"]]}


def _mean(values: list[float], digits: int = 2) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def write_summary(results: ResultsFile, command: str = "") -> tuple[Path, dict]:
    summary = summarize(list(results.records.values()), results.settings, command)
    path = results.path.with_suffix(".json")
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path, summary
