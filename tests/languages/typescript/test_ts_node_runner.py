"""The vitest/jest runner without Node: the command it builds, and what it trusts in a run's
output (only the entry's one line with the secret, agreeing with the exit status)."""

from __future__ import annotations

import json

import pytest

from microagent.languages.typescript.node_runner import (ENTRY_SOURCE, GUARD_SOURCE,
                                                         NodeTestRunner, selection_of)
from microagent.sandbox.test_runner import RawRun
from microagent.sandbox.types import Outcome, ReportStatus

SECRET = "5ecre7" * 5
ADDS = "src/calc.test.ts::calc > adds"


def case(node_id=ADDS, outcome="passed", **more):
    return {"node_id": node_id, "outcome": outcome, "file": node_id.split("::")[0], **more}


def line(cases=(), exit=0, errors=(), unhandled=(), secret=SECRET):
    record = {"runner": "vitest", "version": "3.2.7", "exit": exit, "cases": list(cases),
              "errors": list(errors), "unhandled": list(unhandled)}
    return f"{secret} {json.dumps(record)}\n"


def parse(output, exit_code=0, **run):
    return NodeTestRunner("vitest").parse(RawRun(output=output, exit_code=exit_code,
                                                 secret=SECRET, **run))


def test_the_command_is_our_entry_with_its_parameters_never_a_workspace_file():
    argv = NodeTestRunner("jest", modules="/cache/node_modules").argv(
        ["src/a.test.js::sum > adds (1 + 2)"], "/out/unused.xml")
    assert argv[:4] == ["node", "--input-type=module", "-e", ENTRY_SOURCE]
    params = json.loads(argv[4])
    assert params == {"runner": "jest", "modules": "/cache/node_modules",
                      "files": ["src/a.test.js"], "pattern": r"(^| )sum adds \(1 \+ 2\)$",
                      "guard": GUARD_SOURCE}


@pytest.mark.parametrize("targets, files, pattern", [
    ([], (), ""),
    (["a.test.ts"], ("a.test.ts",), ""),
    (["a.test.ts::x", "b.test.ts::y > z"], ("a.test.ts", "b.test.ts"), "(^| )x$|(^| )y z$"),
    (["a.test.ts::x", "a.test.ts::x"], ("a.test.ts",), "(^| )x$"),
    (["a.test.ts::x", "b.test.ts"], ("a.test.ts", "b.test.ts"), ""),  # b runs whole
])  # fmt: skip
def test_targets_become_files_and_one_name_pattern(targets, files, pattern):
    chosen = selection_of(targets)
    assert (chosen.files, chosen.pattern) == (files, pattern)


def test_the_record_is_the_report_and_is_taken_out_of_the_output():
    report = parse("RUN v3\n" + line([case(duration=0.5, line=3)]) + "done\n")
    assert report.ok and report.output == "RUN v3\ndone\n"
    assert report.cases[0].line == 3 and report.cases[0].duration == 0.5


@pytest.mark.parametrize("output, why", [
    ("Tests 1 passed\n", "no report"),
    (line([case()], secret="0" * 32), "no report"),
    (line([case()]) + line([case()]), "more than one report"),
    (f"{SECRET} {{not json\n", "unreadable"),
])  # fmt: skip
def test_a_missing_forged_or_doubled_record_is_a_crash(output, why):
    report = parse(output)
    assert report.status == ReportStatus.crashed and why in report.problem
    assert not report.cases and not report.ok


def test_a_line_glued_to_the_record_hides_it():
    report = parse("no newline here" + line([case()]))
    assert report.status == ReportStatus.crashed


@pytest.mark.parametrize("record_exit, exit_code, cases, why", [
    (0, 1, [case()], "exit status was 0 but the process ended with 1"),
    (0, 70, [case()], "did not finish"),
    (0, -9, [case()], "exit status was 0"),
    (0, 0, [case(outcome="failed")], "exited 0 but src/calc.test.ts::calc > adds did not pass"),
    (1, 1, [case()], "exited 1 (tests failed) but its report shows no failure"),
    (130, 130, [case()], "did not finish"),
])  # fmt: skip
def test_the_exit_status_must_agree_with_the_record(record_exit, exit_code, cases, why):
    report = parse(line(cases, exit=record_exit), exit_code=exit_code)
    assert report.status == ReportStatus.crashed and why in report.problem and not report.cases


def test_a_test_reported_twice_counts_as_its_worst():
    report = parse(line([case(), case(outcome="failed"), case()], exit=1), exit_code=1)
    assert [(c.node_id, c.outcome) for c in report.cases] == [(ADDS, Outcome.failed)]


def test_skipped_and_todo_targets_are_not_passes():
    report = parse(line([case(outcome="skipped", message="todo"), case("a.test.ts::other")]))
    assert report.ok  # another test passed; the target did not
    assert report.unpassed([ADDS]) == [ADDS] and report.unpassed(["a.test.ts::other"]) == []


def test_files_that_do_not_load_are_collection_errors():
    error = "src/b.test.ts: SyntaxError: Unexpected token"
    report = parse(line([case(), case("src/b.test.ts", "error")], exit=1, errors=[error]),
                   exit_code=1)
    assert report.status == ReportStatus.collection_error
    assert report.collection_errors == [error] and not report.ok


def test_no_tests_and_errors_outside_tests():
    assert parse(line([])).status == ReportStatus.no_tests
    report = parse(line([case()], exit=1, unhandled=["Error: late"]), exit_code=1)
    assert report.status == ReportStatus.completed and "Error: late" in report.problem
    assert not report.ok


def test_a_timeout_is_a_timeout_whatever_was_printed():
    report = parse(line([case()]), exit_code=None, timed_out=True)
    assert report.status == ReportStatus.timeout and not report.ok
