"""The micro-agent loop: the Coder proposes, the Tester runs the real tests, the Reviewer reads
the result; failures go back to the Coder until the tests pass or a budget ends.

It never writes the user's files: it returns a RunResult whose edits a front door may apply.
"""

from __future__ import annotations

import asyncio
import secrets
import logging
import time
from functools import partial
from typing import Any, Awaitable, Callable

from microagent.agents.coder import Coder
from microagent.agents.config import Config
from microagent.agents import capabilities, probes, review_probes
from microagent.agents.environment_errors import environment_error
from microagent.agents.judge import MUTANT_FACTOR, MUTANT_SECONDS, Judge
from microagent.agents.localize import Suspect, from_lines, localize, runtime_values
from microagent.agents.proposers import MUTATION_SHARE, PROPOSERS, Ask, Bench, found_by
from microagent.agents.errors import ModelError
from microagent.agents.file_edits import diff_of, file_edits
from microagent.agents.models.client import ModelClient
from microagent.agents.reviewer import Reviewer
from microagent.agents.run_state import Attempt, RunState
from microagent.agents.selection import EXAMPLES_FILE, plan_tests
from microagent.agents.tester import Tester, collection_cases
from microagent.agents.types import (Event, EventKind, ReviewComment, RunResult, RunStatus,
                          Task, TaskKind)
from microagent.languages.language import Language
from microagent.languages.registry import UnsupportedLanguage, language_of_workspace
from microagent.sandbox.deadline import within
from microagent.sandbox.dependencies import read_declared
from microagent.sandbox.snapshot import FileCache, read_workspace
from microagent.sandbox.types import (Environment, ReportStatus, Sandbox, SandboxError, TestReport,
                                      WorkspaceSnapshot)

log = logging.getLogger(__name__)
OnEvent = Callable[[Event], Any]


class _Stopped(Exception):
    pass


class _OutOfBudget(Exception):
    pass


class Loop:
    """`Loop(client, sandbox, config).run(task)`; `stop()` ends a run within one await.
    `files`: the file cache of a front door that outlives the run (only changed files re-read)."""

    def __init__(self, client: ModelClient, sandbox: Sandbox, config: Config, *,
                 on_event: OnEvent | None = None, clock: Callable[[], float] = time.monotonic,
                 files: FileCache | None = None,
                 language: Language | None = None) -> None:
        self.client = client
        self.language = language  # None: each run's from its workspace's files
        self.sandbox = sandbox
        self.config = config
        self.coder = Coder(client, config.loop.edits)
        self.tester = Tester(sandbox, config.sandbox.timeout)
        self.reviewer = Reviewer(client)
        self._on_event = on_event
        self._clock = clock
        self._files = files
        self._stopped = False
        self._current: asyncio.Future | None = None

    def stop(self) -> None:
        self._stopped = True
        if self._current is not None and not self._current.done():
            self._current.cancel()

    async def run(self, task: Task) -> RunResult:
        started = self._clock()
        snapshot = await asyncio.to_thread(read_workspace, task.root, task.overlays,
                                           cache=self._files)
        read = await asyncio.to_thread(lambda: {p: snapshot.digest(p) for p in snapshot.files})
        read_seconds = self._clock() - started
        plan = plan_tests(task, snapshot)
        seed = self.config.loop.seed
        run = RunState(task, plan.snapshot, plan.selection, started, read_sha256=read,
                       seed=secrets.randbelow(2_147_483_648) if seed is None else seed)
        run.seconds["snapshot"] = read_seconds
        self._emit(EventKind.started, f"{task.kind.value} {task.root if task.target.whole else task.target}")
        if snapshot.skipped:  # a test that reads one of them fails in the sandbox: say why
            shown = ", ".join(snapshot.skipped[:3]) + (", ..." if len(snapshot.skipped) > 3 else "")
            self._emit(EventKind.environment, f"{len(snapshot.skipped)} file(s) left out of the "
                       f"sandbox (too large, unreadable or a link out of the workspace): {shown}")
        try:
            run.language = self.language or language_of_workspace(snapshot.files)
        except UnsupportedLanguage as exc:
            return self._result(run, RunStatus.failed, str(exc))
        try:
            if plan.problem:
                return self._result(run, RunStatus.failed, plan.problem)
            run.environment = await self._environment(run)
            if task.kind == TaskKind.review:
                comments = await self._review(run, plan.review_text, code_only=True)
                path, name = task.target.path, task.target.symbol
                function = review_probes.named_function(path, run.snapshot.file_text(path), name) \
                    if name and not capabilities.lacks(run, "probes", "the probes") else None
                comments += await self._grounded(run, [function] if function else [], run.snapshot)
                return self._result(run, RunStatus.unchanged, f"{len(comments)} review comments",
                                    comments=comments)
            return await self._repair(run)
        except _Stopped:
            return self._result(run, RunStatus.cancelled, "cancelled")
        except (ModelError, SandboxError) as exc:
            return self._result(run, RunStatus.failed, str(exc))

    async def _environment(self, run: RunState) -> Environment:
        """The sandbox makes the workspace's environment ready (built once, then cached); its
        progress lines are events. Its time is kept out of the run's time budget."""
        loop = asyncio.get_running_loop()

        def progress(line: str) -> None:
            loop.call_soon_threadsafe(self._emit, EventKind.environment, line)

        environment = await self._step(run, "environment", self.sandbox.prepare(run.snapshot,
                                                                                 progress))
        await asyncio.sleep(0)  # the progress lines queued from the build's thread go first
        self._emit(EventKind.environment, environment.summary(),
                   data={"environment": environment.model_dump()})
        return environment

    # -- the repair loop -------------------------------------------------------------------

    async def _repair(self, run: RunState) -> RunResult:
        cfg = self.config.loop
        first = await self._test(run, run.snapshot, "initial")
        if first.ok:
            return self._result(run, RunStatus.unchanged, "the selected tests already pass",
                                initial=first, report=first)
        declared = read_declared(run.snapshot, self.config.sandbox.requirements)
        lacking = environment_error(first, run.snapshot, declared, run.environment,
                                    implement=run.task.kind == TaskKind.implement)
        if lacking:  # no candidate can install a module: say what does, before any model call
            return self._result(run, RunStatus.failed, lacking, initial=first, report=first)
        if first.status == ReportStatus.no_tests:
            where = "this workspace" if run.task.target.whole else str(run.task.target)
            return self._result(run, RunStatus.failed, f"no tests found for {where}",
                                initial=first, report=first)
        if first.status == ReportStatus.crashed:
            tail = "\n".join(first.output.strip().splitlines()[-8:])
            return self._result(run, RunStatus.failed, "the tests could not run in the sandbox "
                                f"({first.backend or 'sandbox'} crashed):\n{tail}",
                                initial=first, report=first)
        baseline = {c.node_id for c in first.passed}
        is_test = capabilities.test_files(run.language)
        failing = first.failed or collection_cases(first, run.selection, run.snapshot,
                                                   *([is_test] if is_test else []))
        run.targets = [c.node_id for c in failing if c.node_id]
        context = run.language.coder_context(
            run.snapshot, failing, lambda text: self.client.count_tokens("coder", text))
        original = Attempt({}, first)
        judge = Judge(run, original, baseline, lambda snapshot, label, selection, timeout=None:
                      self._test(run, snapshot, label, run.iterations, selection, timeout),
                      self._refused(run), declared=declared.names(run.snapshot),
                      dependency_edits=self.config.sandbox.dependency_edits,
                      quick_timeout=max(MUTANT_SECONDS, MUTANT_FACTOR * first.duration))
        spec = run.task.target.path if run.selection == [EXAMPLES_FILE] else None
        bench = Bench(self.coder.speaking(run.language.coding), self._asker(run, judge), run,
                      context, judge, lambda attempt: self.tester.feedback(
                          attempt.report, run.language.describe_failure),
                      greedy=self.config.coder.temperature, candidates=cfg.candidates,
                      line_tries=cfg.line_tries, spec_file=spec,
                      parallel=not self.config.coder.embedded, mutants=cfg.mutants,
                      localize=lambda: self._localize(run, bench, failing),
                      mutation_seconds=cfg.max_seconds * MUTATION_SHARE,
                      score=partial(self.client.log_likelihoods, "coder") if cfg.likelihood else None, clock=self._clock)
        status, message = RunStatus.unchanged, ""
        try:
            await self._search(run, bench)
            if len(bench.passers) > 1:
                await self._choose(run, bench)
        except _OutOfBudget as exc:
            if not judge.solved(judge.best):
                status, message = RunStatus.budget, str(exc)
        except (ModelError, SandboxError) as exc:
            if not judge.solved(judge.best):  # a pass in hand survives a failure after it
                raise
            bench.choice = f"the search for more passing candidates stopped: {exc}"
        best = judge.best
        solved = judge.solved(best)
        if status != RunStatus.budget:
            if solved:
                status = RunStatus.solved
            elif best.files and not best.regressed and len(best.report.passed) > len(first.passed):
                status = RunStatus.improved
            else:
                status = RunStatus.unchanged
        message = message or _message(status, best, run.iterations, run.mutants,
                                      found_by(run.transcript, best.files))
        if bench.choice and status == RunStatus.solved:
            message += f"; {bench.choice}"
        if status != RunStatus.solved and run.refusals:
            message += f"; {len(run.refusals)} candidate(s) {run.refusals[-1]}"
        better = not best.regressed and len(best.report.passed) > len(first.passed)
        keep = best.files if status == RunStatus.solved or better else {}
        outcome = dict(initial=first, report=best.report, files=keep, proposer=best.proposer)
        if not (solved and cfg.review and best.files):
            return self._result(run, status, message, **outcome)
        run.seconds["to_edit"] = self._clock() - run.started
        self._emit(EventKind.proven, f"{status.value}: {message}; the edit after "
                   f"{run.seconds['to_edit']:.1f} s, reviewing it",
                   result=self._build(run, status, message, **outcome))
        comments, why = await self._after_pass(run, best.files)
        return self._result(run, status, message + why, comments=comments, **outcome)

    async def _after_pass(self, run: RunState, files: dict[str, str]) -> tuple[list[ReviewComment], str]:
        """The review of a proven fix, after its edit has gone out: whatever stops it (a stop
        request, the budget, a model or sandbox failure), the fix stands; what was found stands."""
        comments: list[ReviewComment] = []
        try:
            comments = await self._review(run, diff_of(run.snapshot, files))
            if capabilities.lacks(run, "probes", "the Tester's probes of the fix"):
                return comments, ""
            changed = [f for p, c in sorted(files.items()) if p.endswith(run.language.suffixes)
                       and not run.language.is_test_file(p)
                       for f in review_probes.changed_functions(p, run.snapshot.file_text(p), c)]
            comments += await self._grounded(run, changed, run.snapshot.with_files(files))
        except _Stopped:
            return comments, "; the review was stopped"
        except _OutOfBudget:
            return comments, ""
        except (ModelError, SandboxError) as exc:
            log.warning("review failed: %s", exc)
            return comments, f"; the review failed: {exc}"
        return comments, ""

    async def _search(self, run: RunState, bench: Bench) -> None:
        """The proposers in the schedule's order, each candidate judged, until one passes or the
        candidates allowed (`max_iterations`) are used; time, tokens and cost end it sooner.
        Where the docstring examples are the only tests, sampled answers that pass too are
        gathered (`loop.agree`) for the Tester's inputs to choose among."""
        cfg = self.config.loop
        agree = cfg.agree if bench.spec_file and run.task.target.symbol else 0
        after_pass = 0  # candidates tried since the first pass
        for name in cfg.schedule:
            if (bench.passers and name != "samples") or capabilities.proposer_lacks(run, name):
                continue
            proposals = PROPOSERS[name](bench)
            verdict: Attempt | None = None
            try:
                while True:
                    try:
                        proposal = await proposals.asend(verdict)
                    except StopAsyncIteration:
                        break
                    except ModelError as exc:  # this proposer's prompt is too long: the next
                        if exc.kind != "context":  # ones ask less (a line, a function)
                            raise
                        run.transcript.append({"role": "coder", "proposer": name,
                                               "problem": str(exc)})
                        self._emit(EventKind.model_call, f"{name}: {exc}; going on with the "
                                   "next proposer", iteration=run.iterations)
                        break
                    mechanical = name == "mutations"  # no model call: not a candidate
                    run.iterations += not mechanical
                    run.mutants += mechanical
                    after_pass += bool(bench.passers)
                    proposal.entry.setdefault("proposer", name)
                    verdict = await bench.judge.judge(proposal.files, proposal.entry) \
                        if proposal.files else None
                    proposal.attempt, bench.last = verdict, proposal
                    if verdict is None:  # unusable, or refused unrun: say why next time
                        proposal.problem = proposal.problem or proposal.entry.get("problem")
                    if bench.judge.solved(verdict):
                        bench.passers.append(verdict)
                    gathered = len(bench.passers) >= max(agree, 1) or \
                        (bench.passers and after_pass >= 2 * agree)  # the others keep failing
                    if (run.iterations >= cfg.max_iterations and not mechanical) or gathered:
                        return
                    if bench.passers and name != "samples":
                        break
            finally:
                await proposals.aclose()

    async def _localize(self, run: RunState, bench: Bench, failing: list) -> list[Suspect]:
        """The suspicious lines of the failing tests (agents/localize.py), in the transcript."""
        began = self._clock()
        mutations = run.language.mutations
        ranked = mutations.suspects(run.snapshot, failing) if mutations is not None else None
        try:
            suspects = from_lines(ranked) if ranked is not None else await self._step(
                run, "localize", localize(self.sandbox, run.snapshot, failing,
                                          self.config.sandbox.timeout * 3))
        except SandboxError as exc:  # no ranking, no mutants: the Coder's proposers go on
            log.warning("localization could not run: %s", exc)
            suspects = []
        if suspects:  # the Coder is shown where the failing tests point, from here on
            bench.values = runtime_values(suspects, run.snapshot)
            bench.context = run.language.coder_context(
                run.snapshot, failing, lambda text: self.client.count_tokens("coder", text),
                suspects=[(s.path, s.line) for s in suspects])
        run.transcript.append({"role": "localizer", "seconds": round(self._clock() - began, 2),
                               "lines": [f"{s.path}:{s.line} {s.score:.2f}" for s in suspects[:20]],
                               "values": bench.values})
        self._emit(EventKind.tests, f"localized: {len(suspects)} suspicious lines"
                   + (f", first {suspects[0].path}:{suspects[0].line}" if suspects else ""),
                   data={"label": "localize"})
        return suspects

    async def _ask_tester(self, run: RunState, messages: list[dict]) -> str:
        self._check_budget(run)
        seed = run.next_seed()
        reply = await self._step(run, "tester", self.client.complete(
            "tester", messages, temperature=self.config.tester.temperature, seed=seed))
        run.transcript.append({"role": "tester", "seed": seed, "messages": messages,
                               "reply": reply.text})
        return reply.text

    async def _grounded(self, run: RunState, functions: list[review_probes.Probed],
                        snapshot: WorkspaceSnapshot) -> list[ReviewComment]:
        """The Tester's inputs run on `snapshot`; the calls that fail like bugs, as comments."""
        found: list[ReviewComment] = []
        try:
            for function in functions[:review_probes.MOST_FUNCTIONS]:
                reply = await self._ask_tester(run, probes.messages(
                    function.source, function.name, probes.INPUTS))
                calls = probes.parse_calls(reply, function.name, probes.INPUTS)
                if not calls:
                    continue
                probe = await self._step(run, "tests", probes.run(
                    self.sandbox, snapshot, function.path, function.name, calls))
                found += review_probes.comments(function, calls, probe.outcomes)
                run.transcript.append({"role": "tester", "probed": function.name, "calls": calls,
                                       "outcomes": probe.outcomes})
        except (_OutOfBudget, ModelError, SandboxError) as exc:  # what was found stands
            log.warning("the Tester's review stopped: %s", exc)
        if found:
            self._emit(EventKind.review, f"the Tester's inputs: {len(found)} comments")
        return found

    async def _choose(self, run: RunState, bench: Bench) -> None:
        """Several candidates pass the docstring examples: the Tester's inputs pick one."""
        path, name = run.task.target.path, run.task.target.symbol

        async def probe(attempt: Attempt, calls: list[str]) -> probes.Probe:
            snapshot = run.snapshot.with_files(attempt.files)
            return await self._step(run, "tests", probes.run(self.sandbox, snapshot, path, name,
                                                              calls))

        chosen, note = await probes.choose(bench.passers, run.snapshot.file_text(path), name,
                                           lambda messages: self._ask_tester(run, messages), probe)
        bench.judge.best = bench.passers[chosen]
        bench.choice = note
        self._emit(EventKind.tests, note, iteration=run.iterations, data={"label": "agreement"})

    def _asker(self, run: RunState, judge: Judge) -> Ask:
        async def ask(messages: list[dict], temperature: float | None,
                      proposer: str) -> tuple[dict, str]:
            best = judge.best
            self._emit(EventKind.iteration, f"candidate {run.iterations + 1}/"
                       f"{self.config.loop.max_iterations} ({proposer})",
                       iteration=run.iterations + 1, passed=len(best.report.passed),
                       total=len(best.report.cases))
            entry, reply = await self._ask(run, messages, temperature, run.iterations + 1,
                                           proposer=proposer)
            return entry, reply.text
        return ask

    def _refused(self, run: RunState) -> Callable[[str, list[str]], None]:
        def refused(why: str, found: list[str]) -> None:
            self._emit(EventKind.refused, f"candidate {why}", iteration=run.iterations,
                       data={"refused": found})
        return refused

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
                 "seed": seed, "messages": messages, "reply": reply.text, "problem": None,
                 "prompt_tokens": reply.record.prompt_tokens,
                 "cached_tokens": reply.record.cached_tokens,
                 "completion_tokens": reply.record.completion_tokens}
        run.transcript.append(entry)
        return entry, reply

    async def _test(self, run: RunState, snapshot: WorkspaceSnapshot, label: str, iteration: int = 0,
                    selection: list[str] | None | str = "selected",
                    timeout: float | None = None) -> TestReport:
        chosen = run.selection if selection == "selected" else selection
        report = await self._step(run, "tests", self.tester.run(snapshot, chosen, timeout))
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
        spent = self._clock() - run.started - run.seconds.get("environment", 0.0)
        remaining = self.config.loop.max_seconds - spent
        if remaining <= 0:
            _close(work)
            raise _OutOfBudget(f"time budget of {self.config.loop.max_seconds:g} s used up")
        task = asyncio.ensure_future(work)
        self._current = task
        began = self._clock()
        try:
            return await within(remaining, task)
        except TimeoutError:
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

    def _emit(self, kind: EventKind, message: str, **fields: Any) -> None:
        if self._on_event is None:
            return
        event = Event(kind=kind, message=message, max_iterations=self.config.loop.max_iterations,
                      **fields)
        try:
            self._on_event(event)
        except Exception:  # a broken listener must not break the run
            log.exception("event listener failed")

    def _result(self, run: RunState, status: RunStatus, message: str, *, initial: TestReport | None = None,
                report: TestReport | None = None, files: dict[str, str] | None = None,
                comments: list[ReviewComment] | None = None, proposer: str = "") -> RunResult:
        result = self._build(run, status, message, initial=initial, report=report, files=files,
                             comments=comments, proposer=proposer)
        self._emit(EventKind.finished, f"{status.value}: {message}",
                   data={"status": status.value})
        return result

    def _build(self, run: RunState, status: RunStatus, message: str, *,
               initial: TestReport | None = None, report: TestReport | None = None,
               files: dict[str, str] | None = None, comments: list[ReviewComment] | None = None,
               proposer: str = "") -> RunResult:
        edits = file_edits(run.snapshot, files or {})
        run.seconds["total"] = self._clock() - run.started
        if status == RunStatus.solved:
            run.seconds.setdefault("to_edit", run.seconds["total"])  # no review: the same moment
        result = RunResult(status=status, message=message, task=run.task, edits=edits,
                           initial_report=initial, report=report, comments=comments or [],
                           iterations=run.iterations, mutants=run.mutants, usage=self.client.usage_by_role(),
                           seconds=run.seconds, transcript=run.transcript,
                           seed=run.seed, read_sha256=run.read_sha256,
                           environment=run.environment,
                           proposer=(proposer or None) if edits else None)
        return result


def _message(status: RunStatus, best: Attempt, candidates: int, mutants: int = 0,
             how: str = "") -> str:
    summary = best.report.summary()
    tried = f"{candidates} candidate(s)" + (f" and {mutants} one-edit mutant(s)" if mutants else "")
    by = f" (the {best.proposer} proposer's{': ' + how if how else ''})" if best.proposer else ""
    return {
        RunStatus.solved: f"tests pass after {tried}{by}: {summary}",
        RunStatus.improved: f"partly fixed after {tried}{by}: {summary}",
    }.get(status, f"no candidate beat the original after {tried}: {summary}")


def _close(work: Awaitable) -> None:
    close = getattr(work, "close", None)
    if close:
        close()
