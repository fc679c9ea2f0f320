"""`run_tests`, the same for every backend: a fresh secret, the runner's command, its outcome
read back by the runner and checked. A backend only says how to run one command.

Never trusts anything the code under test could write: the secret goes to the runner on
stdin, and a problem the backend noticed (a tampered channel) makes the run crashed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Callable, Sequence

from microagent.sandbox.test_runner import Ended, RawRun, TestRunner
from microagent.sandbox.types import ReportStatus, TestReport, WorkspaceSnapshot


@dataclass
class RunnerEnd:
    """How the runner's process ended, as one backend saw it."""

    end: Ended
    oom_killed: bool
    report: bytes | None = None  # the file at the runner's report path, if it wrote one
    problem: str = ""  # something the backend saw that makes the run untrustworthy


class RunsTests:
    """Mixed into a backend that has `name`, `runner` and `_run_runner`."""

    name: str
    runner: TestRunner

    async def _run_runner(
        self, snapshot: WorkspaceSnapshot, build_argv: Callable[[str], list[str]],
        env: dict[str, str], timeout: float, secret: str,
    ) -> RunnerEnd:  # fmt: skip
        """Run the command `build_argv(report_path)` with `secret` as its stdin's first line."""
        raise NotImplementedError

    async def run_tests(
        self,
        snapshot: WorkspaceSnapshot,
        selection: Sequence[str] | None = None,
        timeout: float = 60.0,
    ) -> TestReport:
        chosen, secret = list(selection or ()), secrets.token_hex(16)
        ran = await self._run_runner(
            snapshot, lambda path: self.runner.argv(chosen, path), dict(self.runner.env),
            timeout, secret,
        )  # fmt: skip
        report = self.runner.parse(RawRun.ended(
            ran.end, oom_killed=ran.oom_killed, secret=secret,
            report=ran.report if self.runner.report_file else None,
        ))  # fmt: skip
        if ran.problem and not report.problem:
            report = report.model_copy(
                update={"status": ReportStatus.crashed, "problem": ran.problem, "cases": []}
            )
        return report.model_copy(update={"backend": self.name})
