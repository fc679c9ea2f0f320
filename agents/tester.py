"""The Tester: runs the selected tests in the sandbox and turns a TestReport into short,
concrete feedback the Coder can act on. It never changes an expected value to fit the code.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from microagent.languages.python.parsed import holds_tests
from microagent.sandbox.types import Outcome, ReportStatus, Sandbox, TestCase, TestReport, WorkspaceSnapshot

MAX_FAILURES = 3
MAX_TRACE_LINES = 14
MAX_CHARS = 1800
_KEEP = re.compile(r"^(E |>|\s*[\w./\-]+\.py:\d+|\s*File \"|\w*Error|\w*Exception|\s*assert )")


class Tester:
    def __init__(self, sandbox: Sandbox, timeout: float = 60.0) -> None:
        self.sandbox = sandbox
        self.timeout = timeout

    async def run(self, snapshot: WorkspaceSnapshot, selection: Sequence[str] | None,
                  timeout: float | None = None) -> TestReport:
        return await self.sandbox.run_tests(snapshot, selection=list(selection or []) or None,
                                            timeout=min(timeout or self.timeout, self.timeout))

    def feedback(self, report: TestReport,
                 describe: Callable[[TestCase], str] | None = None) -> str:
        return feedback(report, self.timeout, describe)


def feedback(report: TestReport, timeout: float = 60.0,
             describe: Callable[[TestCase], str] | None = None) -> str:
    """A few lines per failure: the test, the assertion, expected and actual, the last frames.
    `describe`: the language's way of saying one failure (None: pytest's, trimmed here)."""
    if report.status == ReportStatus.timeout:
        return (f"The tests did not finish within {timeout:g} s: the code probably loops "
                "forever or is far too slow.")
    if report.status == ReportStatus.oom:
        return "The tests ran out of memory: the code builds something far too large."
    if report.status == ReportStatus.collection_error:
        errors = "\n".join(report.collection_errors) or _tail(report.output, 12)
        return "The tests could not even be loaded:\n" + _clip(errors)
    if report.status == ReportStatus.no_tests:
        return "No tests were found."
    if report.status == ReportStatus.crashed:
        why = f" ({report.problem})" if report.problem else ""
        return f"The test run crashed{why}:\n" + _clip(_tail(report.output, 12))
    failed = report.failed
    if not failed and report.problem:
        return f"No test failed, but that is not a pass: {report.problem} (skipped or xfailed)."
    if not failed:
        return f"All {len(report.cases)} tests pass."
    parts = [f"{len(failed)} of {len(report.cases)} tests fail."]
    for case in failed[:MAX_FAILURES]:
        parts.append((describe or _describe)(case))
    if len(failed) > MAX_FAILURES:
        parts.append(f"(and {len(failed) - MAX_FAILURES} more failing tests)")
    return _clip("\n\n".join(parts))


def _describe(case: TestCase) -> str:
    head = f"{case.outcome.value.upper()} {case.node_id}"
    lines = [_FUNCTION_REPR.sub(r"\1", ln.rstrip()) for ln in case.traceback.splitlines()
             if _KEEP.match(ln)]
    lines = _dedupe(lines)[-MAX_TRACE_LINES:]
    body = "\n".join(lines) if lines else case.message
    if case.message and case.message.splitlines()[0] not in body:
        body = case.message.splitlines()[0] + "\n" + body
    call = _failing_call(lines)
    return head + "\n" + (f"{call}\n" if call else "") + body


_FUNCTION_REPR = re.compile(r"<function ([\w.]+) at 0x[0-9a-f]+>")
_ASSERT_EQ = re.compile(r"^E\s+assert (.+?) == (.+)$")
_WHERE_CALL = re.compile(r"^E\s+\+\s+where (.+?) = ([\w.]+\(.*\))$")


def _failing_call(lines: list[str]) -> str | None:
    """`assert 6 == 5` with `where 6 = add(2, 3)` -> `add(2, 3) returned 6, expected 5`: the
    one fact a small model needs, said plainly (pytest's own lines stay below it)."""
    for i, line in enumerate(lines):
        compared = _ASSERT_EQ.match(line)
        if not compared:
            continue
        actual, expected = compared.groups()
        for later in lines[i + 1:i + 4]:
            where = _WHERE_CALL.match(later)
            if where and where.group(1) == actual:
                return f"{where.group(2)} returned {actual}, expected {expected}"
        return None
    return None


def _dedupe(lines: list[str]) -> list[str]:
    seen: list[str] = []
    for line in lines:
        if not seen or seen[-1] != line:
            seen.append(line)
    return seen


def _tail(text: str, n: int) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


def _clip(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 40] + "\n[... feedback trimmed ...]"


def collection_cases(report: TestReport, selection: list[str] | None,
                      snapshot: WorkspaceSnapshot,
                      is_test: Callable[[str], bool] = holds_tests) -> list[TestCase]:
    """Stand-in failing cases when the tests could not be collected or did not finish;
    `is_test`: the run's language's test files."""
    text = "\n".join(report.collection_errors) or report.output[-4000:]
    paths = selection or [p for p in sorted(snapshot.files) if is_test(p)]
    return [TestCase(node_id=p, outcome=Outcome.error, message=text[:500], traceback=text)
            for p in paths] or [TestCase(node_id="", outcome=Outcome.error, traceback=text)]
