"""The micro-agent loop: the Coder proposes, the Tester runs the real tests, the Reviewer reads
the result; failures go back to the Coder until the tests pass or a budget ends.

It never writes the user's files: it returns a RunResult whose edits a front door may apply.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import logging
import time
from typing import Any, Awaitable, Callable

from microagent.agents.coder import Coder
from microagent.agents.config import Config
from microagent.agents import line_repair
from microagent.agents.pysource.cheat_screen import refusal, screen
from microagent.agents.pysource.context import Context, build_context, file_text
from microagent.agents.errors import ModelError
from microagent.agents.models.client import ModelClient
from microagent.agents.reviewer import Reviewer
from microagent.agents.run_state import Attempt, RunState
from microagent.agents.selection import plan_tests
from microagent.agents.pysource.splice import unified_diff
from microagent.agents.tester import Tester, collection_cases
from microagent.agents.types import (Event, EventKind, FileEdit, ReviewComment, RunResult, RunStatus,
                          Task, TaskKind)
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import ReportStatus, Sandbox, SandboxError, TestReport, WorkspaceSnapshot

log = logging.getLogger(__name__)
OnEvent = Callable[[Event], Any]


class _Stopped(Exception):
    pass


class _OutOfBudget(Exception):
    pass


class Loop:
    """`Loop(client, sandbox, config).run(task)`; `stop()` ends a run within one await."""

    def __init__(self, client: ModelClient, sandbox: Sandbox, config: Config, *,
                 on_event: OnEvent | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.sandbox = sandbox
        self.config = config
        self.coder = Coder(client)
        self.tester = Tester(sandbox, config.sandbox.timeout)
        self.reviewer = Reviewer(client)
        self._on_event = on_event
        self._clock = clock
        self._stopped = False
        self._current: asyncio.Future | None = None

    def stop(self) -> None:
        self._stopped = True
        if self._current is not None and not self._current.done():
            self._current.cancel()

    async def run(self, task: Task) -> RunResult:
        started = self._clock()
        snapshot = await asyncio.to_thread(read_workspace, task.root, task.overlays)
        read = await asyncio.to_thread(lambda: {p: snapshot.digest(p) for p in snapshot.files})
        plan = plan_tests(task, snapshot)
        seed = self.config.loop.seed
        run = RunState(task, plan.snapshot, plan.selection, started, read_sha256=read,
                       seed=secrets.randbelow(2_147_483_648) if seed is None else seed)
        self._emit(EventKind.started, f"{task.kind.value} {task.target or task.root}")
        try:
            if plan.problem:
                return self._result(run, RunStatus.failed, plan.problem)
            if task.kind == TaskKind.review:
                comments = await self._review(run, plan.review_text, code_only=True)
                return self._result(run, RunStatus.unchanged, f"{len(comments)} review comments",
                                    comments=comments)
            return await self._repair(run)
        except _Stopped:
            return self._result(run, RunStatus.cancelled, "cancelled")
        except (ModelError, SandboxError) as exc:
            return self._result(run, RunStatus.failed, str(exc))

    # -- the repair loop -------------------------------------------------------------------

    async def _repair(self, run: RunState) -> RunResult:
        cfg = self.config.loop
        first = await self._test(run, run.snapshot, "initial")
        if first.ok:
            return self._result(run, RunStatus.unchanged, "the selected tests already pass",
                                initial=first, report=first)
        if first.status == ReportStatus.no_tests:
            return self._result(run, RunStatus.failed, "no tests found for " +
                                (run.task.target or "this workspace"), initial=first, report=first)
        if first.status == ReportStatus.crashed:
            tail = "\n".join(first.output.strip().splitlines()[-8:])
            return self._result(run, RunStatus.failed, "the tests could not run in the sandbox "
                                f"({first.backend or 'sandbox'} crashed):\n{tail}",
                                initial=first, report=first)
        baseline = {c.node_id for c in first.passed}
        failing = first.failed or collection_cases(first, run.selection, run.snapshot)
        run.targets = [c.node_id for c in failing if c.node_id]
        context = build_context(run.snapshot, failing,
                                lambda text: self.client.count_tokens("coder", text))
        original = best = Attempt({}, first)
        base, feedback, fresh, depth = best, self._feedback(run, best), 0, 0
        seen: set[str] = set()
        status, message = RunStatus.unchanged, ""
        try:
            for iteration in range(1, cfg.max_iterations + 1):
                run.iterations = iteration
                self._emit(EventKind.iteration, f"iteration {iteration}/{cfg.max_iterations}",
                           iteration=iteration, passed=len(best.report.passed),
                           total=len(best.report.cases))
                round_best: Attempt | None = None
                problem = None
                if iteration == 2 and self._line_round_fits(run, best):
                    round_best = await self._line_round(run, context, best, baseline, iteration)
                    if round_best and round_best.score(baseline) > best.score(baseline):
                        best = round_best
                    if best.report.ok and not best.regressed:
                        break
                    base, feedback, depth, fresh = best, self._feedback(run, best), 0, fresh + 1
                    continue  # (a line fix that helped is built on; else the best is the original)
                for k in range(cfg.candidates):
                    temperature = self._temperature(fresh + k)
                    attempt, problem = await self._candidate(run, context, base, feedback,
                                                             temperature, baseline, iteration)
                    if attempt and (round_best is None or
                                    attempt.score(baseline) > round_best.score(baseline)):
                        round_best = attempt
                    if attempt and attempt.report.ok and not attempt.regressed:
                        break
                if round_best and round_best.score(baseline) > best.score(baseline):
                    best = round_best
                if best.report.ok and not best.regressed:
                    break
                # A new best goes on with its own failures. A first attempt that did not
                # beat the best gets one repair with its failure; after that, or when a failure
                # repeats, start fresh: from the original code, hotter, with no failed attempt
                # in sight (small models copy the code they are shown); the tests then pick
                # the best of everything tried.
                if round_best is None:  # unusable: say why, or drop the attempt it echoed
                    if base is original and problem:
                        feedback = f"{problem}\n\n{self._feedback(run, original)}".strip()
                    else:
                        base, feedback, depth = original, self._feedback(run, original), 0
                    fresh += 1
                    continue
                next_feedback = self.tester.feedback(round_best.report)
                repeated = next_feedback in seen
                seen.add(next_feedback)
                if round_best is best and not repeated:
                    base, feedback, depth = best, next_feedback, 0
                elif depth == 0 and not repeated and not round_best.regressed:
                    base, feedback, depth = round_best, next_feedback, 1
                else:
                    base, feedback, depth = original, self._feedback(run, original), 0
                    fresh += 1
        except _OutOfBudget as exc:
            status, message = RunStatus.budget, str(exc)

        comments: list[ReviewComment] = []
        solved = best.report.ok and not best.regressed
        if solved and cfg.review and best.files:
            try:
                comments = await self._review(run, self._diff(run, best.files))
            except _OutOfBudget:
                pass
        if status != RunStatus.budget:
            if solved:
                status = RunStatus.solved
            elif best.files and not best.regressed and len(best.report.passed) > len(first.passed):
                status = RunStatus.improved
            else:
                status = RunStatus.unchanged
        message = message or _message(status, best, run.iterations)
        if status != RunStatus.solved and run.refusals:
            message += f"; {len(run.refusals)} candidate(s) {run.refusals[-1]}"
        better = not best.regressed and len(best.report.passed) > len(first.passed)
        keep = best.files if status == RunStatus.solved or better else {}
        return self._result(run, status, message, initial=first, report=best.report,
                            files=keep, comments=comments)

    def _line_round_fits(self, run: RunState, best: Attempt) -> bool:
        """A fix whose first whole-function answer failed, and code there to repair."""
        return run.task.kind == TaskKind.fix and self.config.loop.line_tries > 0 and \
            best.report.status == ReportStatus.completed and bool(best.report.failed)

    async def _line_round(self, run: RunState, context: Context, best: Attempt, baseline: set[str],
                          iteration: int) -> Attempt | None:
        """`line_repair.search` on the best code: each answer tested, the best attempt kept."""
        files = {p.path: best.files.get(p.path, file_text(run.snapshot, p.path)) for p in context.code}
        shown = line_repair.regions(context, files)
        if not shown:
            return None
        tried: set[str] = set()
        round_best: Attempt | None = None

        async def ask(messages: list[dict], strategy: str, hot: bool) -> tuple[dict, str]:
            temperature = self._temperature(1) if hot else self.config.coder.temperature
            entry, reply = await self._ask(run, messages, temperature, iteration, strategy=strategy)
            return entry, reply.text

        async def passes(entry: dict, proposal: dict[str, str]) -> bool:
            nonlocal round_best
            key = repr(sorted(proposal.items()))
            if key in tried:
                return False
            tried.add(key)
            attempt = await self._try(run, {**best.files, **proposal}, baseline, iteration, entry)
            if attempt is None:
                return False
            if round_best is None or attempt.score(baseline) > round_best.score(baseline):
                round_best = attempt
            return attempt.report.ok and not attempt.regressed

        def as_code(text: str) -> list[dict[str, str]]:
            candidate = self.coder.apply(text, run.snapshot, context, best.files)
            return [candidate.files] if candidate.files else []

        await line_repair.search(shown, files, self._feedback(run, best),
                                 self.config.loop.line_tries, ask, passes, as_code)
        return round_best

    async def _candidate(self, run: RunState, context: Context, base: Attempt, feedback: str,
                         temperature: float, baseline: set[str],
                         iteration: int) -> tuple[Attempt | None, str | None]:
        messages = self.coder.messages(run.task.kind.value, context, base.files, feedback)
        entry, reply = await self._ask(run, messages, temperature, iteration)
        candidate = self.coder.apply(reply.text, run.snapshot, context, base.files)
        entry["problem"] = candidate.problem
        if candidate.problem:
            return None, candidate.problem
        attempt = await self._try(run, {**base.files, **candidate.files}, baseline, iteration, entry)
        return attempt, entry["problem"]

    async def _ask(self, run: RunState, messages: list[dict], temperature: float | None,
                   iteration: int, **fields: Any) -> tuple[dict, Any]:
        """One Coder call, within the budget, kept in the transcript (the entry is returned so
        the caller can add what became of the answer)."""
        self._check_budget(run)
        seed = run.next_seed()
        reply = await self._step(run, "coder", self.coder.propose(messages, temperature, seed=seed))
        self._emit(EventKind.model_call, f"coder answered ({reply.record.completion_tokens} tokens)",
                   iteration=iteration)
        entry = {"iteration": iteration, "role": "coder", **fields, "temperature": temperature,
                 "seed": seed, "messages": messages, "reply": reply.text, "problem": None}
        run.transcript.append(entry)
        return entry, reply

    async def _try(self, run: RunState, files: dict[str, str], baseline: set[str], iteration: int,
                   entry: dict) -> Attempt | None:
        """Run the selected tests on `files`; a pass must also keep the whole suite passing.
        A change that adds what only a cheat needs is refused unrun (None), and says why."""
        found = screen({p: file_text(run.snapshot, p) for p in files if p in run.snapshot.files},
                       files)
        if found:
            why = refusal(found)
            entry["problem"] = f"Your answer was {why}. Change what the code computes instead."
            entry["refused"] = [str(f) for f in found]
            run.refusals.append(why)
            self._emit(EventKind.refused, f"candidate {why}", iteration=iteration,
                       data={"refused": entry["refused"]})
            return None
        snapshot = run.snapshot.with_files(files)
        report = await self._test(run, snapshot, "candidate", iteration)
        missed = report.unpassed(run.targets) if report.ok else []
        if missed:  # skipped or xfailed now: not a pass (sandbox/types.py, TestReport)
            report = report.model_copy(update={"problem": f"{missed[0]} did not pass"})
        regressed = bool(baseline - {c.node_id for c in report.passed})
        if report.ok and not regressed and run.selection:
            full = await self._test(run, snapshot, "regression", iteration, selection=None)
            before = await self._baseline_full(run)
            regressed = bool({c.node_id for c in before.passed} - {c.node_id for c in full.passed})
        entry["tests"] = report.summary() + (" (breaks passing tests)" if regressed else "")
        return Attempt(files, report, regressed)

    async def _baseline_full(self, run: RunState) -> TestReport:
        if run.full_baseline is None:
            run.full_baseline = await self._test(run, run.snapshot, "baseline", selection=None)
        return run.full_baseline

    async def _test(self, run: RunState, snapshot: WorkspaceSnapshot, label: str, iteration: int = 0,
                    selection: list[str] | None | str = "selected") -> TestReport:
        chosen = run.selection if selection == "selected" else selection
        report = await self._step(run, "tests", self.tester.run(snapshot, chosen))
        self._emit(EventKind.tests, f"{label}: {report.summary()}", iteration=iteration,
                   passed=len(report.passed), total=len(report.cases),
                   data={"label": label, "status": report.status.value})
        return report

    async def _review(self, run: RunState, text: str, code_only: bool = False) -> list[ReviewComment]:
        self._check_budget(run)
        files = set(run.snapshot.files)
        comments, reply = await self._step(run, "review", self.reviewer.review(text, files, code_only,
                                                                                 seed=run.next_seed()))
        run.transcript.append({"role": "reviewer", "reply": reply,
                               "comments": [c.model_dump() for c in comments]})
        self._emit(EventKind.review, f"review: {len(comments)} comments")
        return comments

    # -- budgets, cancellation, results ----------------------------------------------------

    async def _step(self, run: RunState, phase: str, work: Awaitable) -> Any:
        if self._stopped:
            _close(work)
            raise _Stopped()
        remaining = self.config.loop.max_seconds - (self._clock() - run.started)
        if remaining <= 0:
            _close(work)
            raise _OutOfBudget(f"time budget of {self.config.loop.max_seconds:g} s used up")
        task = asyncio.ensure_future(work)
        self._current = task
        began = self._clock()
        try:
            return await asyncio.wait_for(task, remaining)
        except asyncio.TimeoutError:
            raise _OutOfBudget(f"time budget of {self.config.loop.max_seconds:g} s used up") from None
        except asyncio.CancelledError:
            if self._stopped:
                raise _Stopped() from None
            raise
        finally:
            self._current = None
            run.seconds[phase] = run.seconds.get(phase, 0.0) + self._clock() - began

    def _check_budget(self, run: RunState) -> None:
        cfg = self.config.loop
        if self._stopped:
            raise _Stopped()
        if self.client.total_tokens >= cfg.max_tokens:
            raise _OutOfBudget(f"token budget of {cfg.max_tokens} used up")
        if cfg.max_cost_usd and self.client.total_cost >= cfg.max_cost_usd:
            raise _OutOfBudget(f"cost budget of ${cfg.max_cost_usd:g} used up")

    def _feedback(self, run: RunState, attempt: Attempt) -> str:
        """The test output for the Coder. Kept even for code not written yet: asked for a
        stub with no test output, the embedded model echoed the stub back."""
        return self.tester.feedback(attempt.report)

    def _temperature(self, restarts: int) -> float:
        """Greedy first; a fresh start samples hot (about 0.8), where small models' answers
        differ enough for the tests to choose among them."""
        base = self.config.coder.temperature
        return base if restarts == 0 else min(1.0, max(base, 0.6) + 0.2 * restarts)

    def _emit(self, kind: EventKind, message: str, **fields: Any) -> None:
        if self._on_event is None:
            return
        event = Event(kind=kind, message=message, max_iterations=self.config.loop.max_iterations,
                      **fields)
        try:
            self._on_event(event)
        except Exception:  # a broken listener must not break the run
            log.exception("event listener failed")

    def _diff(self, run: RunState, files: dict[str, str]) -> str:
        return "".join(unified_diff(p, file_text(run.snapshot, p), c) for p, c in sorted(files.items()))

    def _result(self, run: RunState, status: RunStatus, message: str, *, initial: TestReport | None = None,
                report: TestReport | None = None, files: dict[str, str] | None = None,
                comments: list[ReviewComment] | None = None) -> RunResult:
        edits = []
        for path, content in sorted((files or {}).items()):
            original = file_text(run.snapshot, path)
            edits.append(FileEdit(path=path, original=original, content=content,
                                  diff=unified_diff(path, original, content),
                                  original_sha256=hashlib.sha256(original.encode()).hexdigest()))
        run.seconds["total"] = self._clock() - run.started
        result = RunResult(status=status, message=message, task=run.task, edits=edits,
                           initial_report=initial, report=report, comments=comments or [],
                           iterations=run.iterations, usage=self.client.usage_by_role(),
                           seconds=run.seconds, transcript=run.transcript,
                           seed=run.seed, read_sha256=run.read_sha256)
        self._emit(EventKind.finished, f"{status.value}: {message}",
                   data={"status": status.value})
        return result


def _message(status: RunStatus, best: Attempt, iterations: int) -> str:
    summary = best.report.summary()
    return {
        RunStatus.solved: f"tests pass after {iterations} iteration(s): {summary}",
        RunStatus.improved: f"partly fixed after {iterations} iteration(s): {summary}",
    }.get(status, f"no candidate beat the original after {iterations} iteration(s): {summary}")


def _close(work: Awaitable) -> None:
    close = getattr(work, "close", None)
    if close:
        close()
