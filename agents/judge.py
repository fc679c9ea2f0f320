"""The judge: every candidate the proposers make is run here and nowhere else. A candidate that
adds what only a cheat needs (the run's language's screen) is refused unrun, and so is one that
brings type errors into the files it changed (a language's type gate, TypeScript's tsc, where the
project has one); the rest run the selected tests, and a pass must also keep the whole suite
passing. The judge keeps the best attempt; nothing worse than the
original ever wins.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from microagent.languages.language import IMPORT_GRAPH
from microagent.languages.python.cheat_screen import Finding
from microagent.languages.python.parsed import holds_tests, is_test_file
from microagent.agents.run_state import Attempt, RunState
from microagent.agents.selection import tests_importing
from microagent.sandbox.dependencies import is_dependency_file
from microagent.sandbox.types import ReportStatus, TestReport, WorkspaceSnapshot

# (snapshot, label, selection[, timeout]) -> report; the loop's own test step, inside its budget
RunTests = Callable[..., Awaitable[TestReport]]
# A mutant's first run (its failing tests only) ends after this many times the original run's
# seconds, and no sooner than MUTANT_SECONDS: a mutated loop condition that never ends costs
# that, not the sandbox's whole timeout (60 s by default), and most mutants fix nothing.
MUTANT_FACTOR = 5.0
MUTANT_SECONDS = 15.0
OnRefused = Callable[[str, list[str]], None]  # (why, what the screen found)


class Judge:
    """`declared`: the distributions the project declares (normalized names), whose imports a
    candidate may not drop or guard; `dependency_edits`: a candidate may change a dependency
    file (`sandbox.dependency_edits`)."""

    def __init__(self, run: RunState, original: Attempt, baseline: set[str], run_tests: RunTests,
                 on_refused: OnRefused, *, declared: set[str] | None = None,
                 dependency_edits: bool = False, quick_timeout: float | None = None) -> None:
        self.run = run
        self.original = original
        self.best = original
        self.baseline = baseline  # the selected tests that passed before any change
        self._run_tests = run_tests
        self._on_refused = on_refused
        self._full_baseline: TestReport | None = None
        self.declared = declared or set()
        self.dependency_edits = dependency_edits
        self.quick_timeout = quick_timeout  # a mutant's first run; None: the sandbox's timeout

    async def judge(self, files: dict[str, str], entry: dict) -> Attempt | None:
        """Test `files` (every changed file, whole); None when the screen refused them unrun.
        `entry` (the transcript entry of the answer) gets what the tests said."""
        run = self.run
        before = {p: run.snapshot.file_text(p) for p in files if p in run.snapshot.files}
        cheats = run.language.cheats
        found = cheats.screen(before, files, self.declared) + self._dependency_files(before, files)
        if found:
            why = cheats.refusal(found)
            entry["problem"] = f"Your answer was {why}. Change what the code computes instead."
            entry["refused"] = [str(f) for f in found]
            run.refusals.append(why)
            self._on_refused(why, entry["refused"])
            return None
        snapshot = run.snapshot.with_files(files)
        if await self._type_errors(snapshot, files, entry):
            return None
        narrow = self._narrowed(snapshot, files) if run.selection is None else None
        label = f"mutant {entry['mutation']}" if entry.get("mutation") else "candidate"
        seconds = entry.setdefault("test_seconds", [])  # each run of this candidate's tests
        if entry.get("mutation") and run.targets:  # most mutants fix nothing: the failing tests first
            quick = await self._run_tests(snapshot, label, list(run.targets),
                                          timeout=self.quick_timeout)
            seconds.append(round(quick.duration, 2))
            if not set(run.targets) & {c.node_id for c in quick.passed}:
                entry["tests"] = f"none of the {len(run.targets)} failing tests passes" + (
                    f" (stopped after {self.quick_timeout:.0f} s)"
                    if quick.status == ReportStatus.timeout and self.quick_timeout else "")
                return Attempt(files, quick.model_copy(update={"problem": "no failing test fixed"}),
                               False, entry.get("proposer", ""))
        report = await self._run_tests(snapshot, label, narrow or "selected")
        seconds.append(round(report.duration, 2))
        if narrow:  # the tests not run now are as they were: the whole suite decides a pass
            entry["selection"] = narrow
            report = carried_over(self.original.report, report, narrow)
        missed = report.unpassed(run.targets) if report.ok else []
        if missed:  # skipped or xfailed now: not a pass (sandbox/types.py, TestReport)
            report = report.model_copy(update={"problem": f"{missed[0]} did not pass"})
        regressed = bool(self.baseline - {c.node_id for c in report.passed})
        if report.ok and not regressed and (run.selection or narrow):
            full = await self._run_tests(snapshot, "regression", None)
            seconds.append(round(full.duration, 2))
            before = self.original.report if narrow else await self._baseline_full()
            regressed = bool({c.node_id for c in before.passed} - {c.node_id for c in full.passed})
            if narrow:
                missed = full.unpassed(run.targets) if full.ok else []
                report = full.model_copy(update={"problem": f"{missed[0]} did not pass"}) \
                    if missed else full
        entry["tests"] = report.summary() + (" (breaks passing tests)" if regressed else "")
        attempt = Attempt(files, report, regressed, entry.get("proposer", ""))
        if self.solved(attempt):  # kept in the record, for a run that goes on choosing
            entry["passed_files"] = files
        if self.better(attempt, self.best):
            self.best = attempt
        return attempt

    async def _type_errors(self, snapshot: WorkspaceSnapshot, files: dict[str, str],
                           entry: dict) -> bool:
        """Whether the language's type gate fails the candidate; its errors become the problem
        the Coder is told."""
        gate = self.run.language.type_gate
        if gate is None or not gate.applies(snapshot):
            return False
        problem = await asyncio.to_thread(gate.problem, self.run.snapshot, snapshot, sorted(files))
        if problem is None:
            return False
        entry["problem"] = problem
        entry["tests"] = "not run: the change does not type-check"
        self._on_refused("does not type-check", problem.splitlines()[1:])
        return True

    def _narrowed(self, snapshot: WorkspaceSnapshot, files: dict[str, str]) -> list[str] | None:
        """For a run of the whole suite: the test files a candidate is tried on first, those of
        the failing tests and those importing a changed module; None when that is every test
        file (nothing to save)."""
        if IMPORT_GRAPH not in self.run.language.features:
            return None  # no import graph to narrow by: the whole suite at once
        chosen = {t.split("::")[0] for t in self.run.targets}
        for path in files:
            if not is_test_file(path):
                chosen.update(tests_importing(snapshot, path))
        every = {p for p in snapshot.files if holds_tests(p)}
        if not chosen or not chosen < every:
            return None
        return sorted(chosen)

    def _dependency_files(self, before: dict[str, str], after: dict[str, str]) -> list[Finding]:
        """A changed dependency file: the environment is built from them once, before the run,
        so the tests would not run with the change; it is the user's to make."""
        if self.dependency_edits:
            return []
        return [Finding(p, 1, "edits a dependency file (sandbox.dependency_edits is off)")
                for p in sorted(after) if is_dependency_file(p) and before.get(p) != after[p]]

    def better(self, attempt: Attempt, than: Attempt) -> bool:
        return attempt.score(self.baseline) > than.score(self.baseline)

    def solved(self, attempt: Attempt | None) -> bool:
        return attempt is not None and attempt.report.ok and not attempt.regressed

    async def _baseline_full(self) -> TestReport:
        if self._full_baseline is None:
            self._full_baseline = await self._run_tests(self.run.snapshot, "baseline", None)
        return self._full_baseline


def carried_over(original: TestReport, narrow: TestReport, files: list[str]) -> TestReport:
    """`narrow` (a run of the test `files` only) with the original run's cases of every other
    file, as they were: counts that compare with the original's."""
    ran = set(files)
    kept = [c for c in original.cases if c.node_id.split("::")[0] not in ran]
    return narrow.model_copy(update={"cases": narrow.cases + kept})
