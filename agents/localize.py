"""Spectrum-based fault localization: the failing tests' files run once more in the sandbox
under a line tracer, and each line of the workspace's code is ranked by how much more the
failing tests run it than the passing ones (Ochiai). No model call.

A test that checks many calls (HumanEval's shape: one test, a list of asserts) is split into
its checks (test case purification, Xuan & Monperrus 2014): its test modules are loaded with
each `assert` made soft, so the test goes on past a failed check and every check is a small
test of its own, passed or failed, with the lines run since the one before. Lines run by the
failed checks and few passed ones come first among lines the tests alone cannot tell apart.

The ranking only orders what gets tried; it never decides a pass (code under test could forge
it, and gain nothing: every candidate is still judged by the real tests).
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass

from microagent.agents.spectrum_tracer import MARK, TRACER, TRACER_FILE
from microagent.languages.language import Mutant, Mutations
from microagent.languages.python.parsed import parse_module
from microagent.sandbox.types import Sandbox, TestCase, WorkspaceSnapshot

MOST_LINES = 400  # lines reported back, best first
MUTATED_LINES = 150  # the most suspicious lines whose mutants are ranked


@dataclass(frozen=True)
class Suspect:
    path: str
    line: int
    score: float  # Ochiai: 1.0 for a line run by every failing test and no passing one
    failed: int  # failing tests that ran it
    passed: int  # passing tests that ran it
    values: tuple[str, ...] = ()  # the variables as the first failing test reached the line
    last: int = 0  # failing tests whose last call into the workspace ran it
    only_last: int = 0  # ... and none of their earlier calls (which the test's checks passed)
    checks: float = 0.0  # Ochiai over the tests' single checks (asserts), as over tests above


def ochiai(failed: int, passed: int, total_failed: int) -> float:
    if failed == 0 or total_failed == 0:
        return 0.0
    return failed / math.sqrt(total_failed * (failed + passed))


def rank(record: dict, conditions: frozenset[tuple[str, int]] = frozenset()) -> list[Suspect]:
    """The lines the failing tests ran, most suspicious first. Ties (a suite of one test, as
    a function checked by many asserts in one test has, ties every line it runs): first by
    Ochiai over the single checks; then a condition (`if`, `elif`, `while`, `for` headers in
    `conditions`) before the other lines, as it decides which of them run; then the lines the
    failing test's last call before its failure ran, then those its earlier calls, whose
    results the test accepted, did not; then fewer passing tests, then file and line order."""
    total = int(record.get("failed", 0))
    values, last, only_last = (record.get(k) if isinstance(record.get(k), dict) else {}
                               for k in ("values", "last", "only_last"))
    checks = record.get("checks") if isinstance(record.get("checks"), dict) else {}
    check_lines = checks.get("lines") if isinstance(checks.get("lines"), dict) else {}
    failed_checks = _count(checks.get("failed"))
    suspects = []
    for key, counts in (record.get("lines") or {}).items():
        path, _, line = key.rpartition(":")
        if not path or not line.isdigit() or len(counts) != 2:
            continue
        failed, passed = int(counts[0]), int(counts[1])
        if failed:
            by_check = _pair(check_lines.get(key))
            suspects.append(Suspect(path, int(line), ochiai(failed, passed, total), failed, passed,
                                    tuple(str(v) for v in values.get(key, [])[:2]),
                                    _count(last.get(key)), _count(only_last.get(key)),
                                    ochiai(*by_check, failed_checks)))
    suspects.sort(key=lambda s: (-s.score, -s.checks, (s.path, s.line) not in conditions,
                                 -s.last, -s.only_last, s.passed, s.path, s.line))
    return suspects[:MOST_LINES]


def _pair(value: object) -> tuple[int, int]:
    if isinstance(value, list) and len(value) == 2:
        return _count(value[0]), _count(value[1])
    return 0, 0


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def read_record(output: str) -> dict | None:
    for line in reversed(output.splitlines()):
        if line.startswith(MARK):
            try:
                record = json.loads(line[len(MARK):])
            except ValueError:
                return None
            return record if isinstance(record, dict) else None
    return None


async def localize(sandbox: Sandbox, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                   timeout: float) -> list[Suspect]:
    """The failing tests' files traced in the sandbox, their lines ranked; [] when the tracer
    could not run or the failing tests ran no workspace code."""
    files = sorted({c.node_id.split("::")[0] for c in failing if "::" in c.node_id})
    if not files:
        return []
    watch = next((c.node_id for c in failing if "::" in c.node_id), "")
    result = await sandbox.run(snapshot.with_files({TRACER_FILE: TRACER}),
                               ["python3", TRACER_FILE, f"--watch={watch}", *files], timeout=timeout)
    record = read_record(result.output)
    if not record:
        return []
    paths = {k.rpartition(":")[0] for k in record.get("lines") or {} if isinstance(k, str)}
    return rank(record, condition_lines(snapshot, paths))


def condition_lines(snapshot: WorkspaceSnapshot, paths: set[str]) -> frozenset[tuple[str, int]]:
    """The first lines of the `if`/`elif`/`while`/`for` statements in these files."""
    found = set()
    for path in paths:
        if path not in snapshot.files:
            continue
        tree = parse_module(snapshot.text(path))
        if tree is None:
            continue
        found |= {(path, node.lineno) for node in ast.walk(tree)
                  if isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor))}
    return frozenset(found)


def ranked_mutants(suspects: list[Suspect], snapshot: WorkspaceSnapshot, mutations: Mutations,
                   lines: int = MUTATED_LINES) -> list[tuple[Suspect, Mutant]]:
    """The mutants of the most suspicious lines, likeliest first: the line's score, discounted
    by its place in the ranking (whose tie-breaks know more than the score: the n-th line
    counts 1/n), times how often that kind of change is the fix (not yet checked to parse: see
    `mutations.parses`)."""
    queue = []
    for place, suspect in enumerate(suspects[:lines], start=1):
        if suspect.path in snapshot.files:
            made = mutations.mutants(suspect.path, snapshot.text(suspect.path), suspect.line,
                                     check=False)
            queue += [(suspect.score / place * m.weight, -len(queue) - i, suspect, m)
                      for i, m in enumerate(made)]
    queue.sort(key=lambda q: (q[0], q[1]), reverse=True)
    return [(suspect, mutant) for _, _, suspect, mutant in queue]


def from_lines(lines: list[tuple[str, int, float]]) -> list[Suspect]:
    """Suspects a language ranked without running the tests (no counts, no values)."""
    return [Suspect(path, line, score, 1, 0) for path, line, score in lines]


def runtime_values(suspects: list[Suspect], snapshot: WorkspaceSnapshot, most: int = 5) -> str:
    """For the Coder: what the variables held when the first failing test reached the most
    suspicious lines (LDB: a small model repairs better from the values than from the bare
    assertion); "" when none were recorded."""
    shown = []
    for s in suspects:
        if not s.values or s.path not in snapshot.files:
            continue
        lines = snapshot.text(s.path).splitlines()
        code = lines[s.line - 1].strip() if 0 < s.line <= len(lines) else ""
        seen = "; then ".join(s.values)
        shown.append(f"- {s.path}:{s.line} `{code[:120]}`: "
                     + (seen if len(seen) <= 240 else seen[:240] + "..."))
        if len(shown) == most:
            break
    if not shown:
        return ""
    return ("The variables when the first failing test reached the most suspicious lines "
            "(before each line ran):\n" + "\n".join(shown))
