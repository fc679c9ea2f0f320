"""The TypeScript type check: tsc's output read as records, a candidate blamed only for the
errors it brought into the files it changed, and real tsc runs on small strict projects (marked
`node`: the host's node and the tsc scripts/js-runners.sh installs)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import system_parts
from microagent.languages.typescript.typecheck import (FEEDBACK_CHARS, Status, TsError,
                                                       TypeCheck, TypeChecker, feedback, judge,
                                                       parse_tsc_output)

STRICT = ('{"compilerOptions": {"strict": true, "target": "ES2022", "module": "ESNext", '
          '"moduleResolution": "bundler", "skipLibCheck": true}, "include": ["src"]}\n')
CALC = "export function add(a: number, b: number): number {\n  return a + b\n}\n"
MAIN = "import { add } from './calc'\nexport const three: number = add(1, 2)\n"
SHAPE = "export interface Shape { kind: string; size: number }\n"
OUTPUT = """\
src/a.ts(2,14): error TS2322: Type 'string' is not assignable to type 'number'.
src/a.ts(4,3): error TS2345: Argument of type '{ a: string; }' is not assignable to parameter of type 'Foo'.
  Property 'b' is missing in type '{ a: string; }' but required in type 'Foo'.
error TS18003: No inputs were found in config file 'tsconfig.json'.
/work/ws/src/b.ts(10,1): error TS2304: Cannot find name 'x'.
Found 4 errors.
"""


def err(path="src/a.ts", line=1, code=2322, message="Type 'string' is not assignable to type "
        "'number'.", column=1):
    return TsError(path, line, column, code, message)


def checked(*errors):
    return TypeCheck(Status.checked, errors=tuple(errors))


def test_tsc_lines_become_records_with_their_explanations_and_relative_paths():
    errors = parse_tsc_output(OUTPUT, Path("/work/ws"))
    assert [(e.path, e.line, e.column, e.code) for e in errors] == [
        ("src/a.ts", 2, 14, 2322), ("src/a.ts", 4, 3, 2345), ("", 0, 0, 18003),
        ("src/b.ts", 10, 1, 2304)]
    assert errors[1].message == ("Argument of type '{ a: string; }' is not assignable to "
                                 "parameter of type 'Foo'.\nProperty 'b' is missing in type "
                                 "'{ a: string; }' but required in type 'Foo'.")
    assert str(errors[0]) == "src/a.ts:2:14 TS2322 Type 'string' is not assignable to type 'number'."
    assert str(errors[2]).startswith("TS18003 No inputs")


def test_output_without_errors_parses_to_none():
    assert parse_tsc_output("") == []
    assert parse_tsc_output("Version 5.9.3\nsrc/a.ts(1,1): warning TS1: not an error\n") == []


def test_an_error_already_there_is_not_blamed_though_its_line_moved():
    verdict = judge(checked(err(line=3)), checked(err(line=9)), ["src/a.ts"])
    assert verdict.checked and not verdict.failed and not verdict.introduced


def test_one_more_of_the_same_error_in_a_changed_file_fails_the_candidate():
    verdict = judge(checked(err(line=3)), checked(err(line=3), err(line=7)), ["./src/a.ts"])
    assert verdict.failed and verdict.introduced == (err(line=7),)
    assert "1 new type error" in verdict.reason


def test_new_errors_in_files_the_change_did_not_touch_are_reported_not_blamed():
    verdict = judge(checked(), checked(err(path="src/b.ts")), ["src/a.ts"])
    assert verdict.checked and not verdict.failed
    assert verdict.elsewhere == (err(path="src/b.ts"),)


def test_a_candidate_tsc_could_not_check_gets_no_verdict():
    after = TypeCheck(Status.timed_out, reason="tsc did not finish in 60 s")
    verdict = judge(checked(), after, ["src/a.ts"])
    assert not verdict.checked and not verdict.failed and verdict.reason == after.reason


def test_without_the_original_checked_every_error_in_a_changed_file_counts_and_it_says_so():
    before = TypeCheck(Status.crashed, reason="tsc ended with status 134")
    verdict = judge(before, checked(err()), ["src/a.ts"])
    assert verdict.failed and "the original was not checked (tsc ended with status 134)" in \
        verdict.reason


def test_output_cut_short_is_no_pass():
    after = TypeCheck(Status.checked, truncated=True)
    verdict = judge(checked(), after, ["src/a.ts"])
    assert not verdict.checked and not verdict.failed and "cut short" in verdict.reason


def test_feedback_shows_the_first_errors_and_counts_the_rest():
    errors = [err(line=n, message=f"problem {n}\nbecause {n}") for n in range(1, 9)]
    text = feedback(errors, limit=3)
    assert text.splitlines() == ["src/a.ts:1:1 TS2322 problem 1", "  because 1",
                                 "src/a.ts:2:1 TS2322 problem 2", "  because 2",
                                 "src/a.ts:3:1 TS2322 problem 3", "  because 3", "... and 5 more"]


def test_feedback_stays_within_its_bound_with_long_messages():
    errors = [err(line=n, message="x" * 5000) for n in range(50)]
    text = feedback(errors)
    assert len(text) <= FEEDBACK_CHARS and text.startswith("src/a.ts:0:1 TS2322 xxx")
    assert text.endswith("more") and feedback([]) == ""


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_a_project_without_tsconfig_is_not_checked_and_says_so(tmp_path):
    write(tmp_path, {"src/calc.ts": CALC})
    result = TypeChecker(tsc=None).check(tmp_path)
    assert result.status is Status.no_tsconfig and "no tsconfig.json" in result.reason
    named = TypeChecker().check(tmp_path, tsconfig="config/tsconfig.app.json")
    assert named.status is Status.no_tsconfig and "config/tsconfig.app.json" in named.reason
    outside = TypeChecker().check(tmp_path, tsconfig="../tsconfig.json")
    assert outside.status is Status.no_tsconfig and "outside the workspace" in outside.reason


def test_without_any_tsc_the_result_says_how_to_install_one(tmp_path):
    write(tmp_path, {"tsconfig.json": STRICT, "src/calc.ts": CALC})
    result = TypeChecker(tsc=str(tmp_path / "absent" / "tsc")).check(tmp_path)
    assert result.status is Status.no_compiler and "scripts/js-runners.sh" in result.reason
    assert judge(checked(), result, ["src/calc.ts"]).checked is False


def test_without_node_the_result_says_so(tmp_path):
    write(tmp_path, {"tsconfig.json": STRICT, "src/calc.ts": CALC,
                     "node_modules/typescript/bin/tsc": "require('../lib/tsc.js')\n"})
    result = TypeChecker(node=str(tmp_path / "no-node")).check(tmp_path)
    assert result.status is Status.no_compiler and "install Node.js" in result.reason


# Real tsc from here on.


@pytest.fixture
def tsc() -> str:
    if shutil.which("node") is None:
        system_parts.missing("missing Node.js (the type check): sudo apt-get install nodejs npm")
    path = subprocess.run(["bash", str(system_parts.JS_RUNNERS), "--print-tsc"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if not Path(path).is_file():
        system_parts.missing(f"missing tsc at {path}: run scripts/js-runners.sh (npm, once)")
    return path


def project(root: Path, **more: str) -> Path:
    files = {"tsconfig.json": STRICT, "src/calc.ts": CALC, "src/main.ts": MAIN,
             "src/shape.ts": SHAPE}
    return write(root, {**files, **{path.replace("__", "/") + ".ts": text
                                    for path, text in more.items()}})


def candidate(original: Path, root: Path, changes: dict[str, str]) -> Path:
    shutil.copytree(original, root)
    return write(root, changes)


@pytest.mark.node
def test_a_correct_strict_project_passes_with_our_tsc(tmp_path, tsc):
    result = TypeChecker(tsc=tsc).check(project(tmp_path))
    assert result.status is Status.checked and result.ok, result.output
    assert result.compiler == "typescript 5.9.3 (ours)"


@pytest.mark.node
def test_a_type_error_the_candidate_brings_in_fails_it(tmp_path, tsc):
    checker = TypeChecker(tsc=tsc)
    original = project(tmp_path / "original")
    changed = {"src/calc.ts": "export function add(a: number, b: number): number {\n"
                              "  return `${a}${b}`\n}\n"}
    after = checker.check(candidate(original, tmp_path / "candidate", changed))
    verdict = judge(checker.check(original), after, changed)
    assert verdict.checked and verdict.failed
    assert [(e.path, e.line, e.column, e.code) for e in verdict.introduced] == [
        ("src/calc.ts", 2, 3, 2322)]
    assert feedback(verdict.introduced) == ("src/calc.ts:2:3 TS2322 Type 'string' is not "
                                            "assignable to type 'number'.")


@pytest.mark.node
def test_an_error_that_was_there_before_the_change_is_not_blamed(tmp_path, tsc):
    checker = TypeChecker(tsc=tsc)
    legacy = "export const size: number = 'big'\n"
    original = project(tmp_path / "original", src__legacy=legacy)
    changed = {"src/legacy.ts": "// moved down a line\n" + legacy,
               "src/calc.ts": "export function add(a: number, b: number): number {\n"
                              "  return b + a\n}\n"}
    before = checker.check(original)
    assert before.in_files(["src/legacy.ts"])[0].line == 1
    after = checker.check(candidate(original, tmp_path / "candidate", changed))
    assert after.in_files(["src/legacy.ts"])[0].line == 2
    verdict = judge(before, after, changed)
    assert verdict.checked and not verdict.failed, verdict


@pytest.mark.node
def test_an_explained_error_keeps_its_explanation(tmp_path, tsc):
    root = project(tmp_path, src__use="import { Shape } from './shape'\n"
                                      "export const s: Shape = { kind: 'box' }\n")
    (error,) = TypeChecker(tsc=tsc).check(root).in_files(["src/use.ts"])
    assert error.code == 2741 and "'size' is missing" in error.message


@pytest.mark.node
def test_the_projects_own_typescript_is_preferred(tmp_path, tsc):
    root = project(tmp_path)
    (root / "node_modules").mkdir()
    (root / "node_modules" / "typescript").symlink_to(Path(tsc).parent.parent)
    result = TypeChecker(tsc=None).check(root)
    assert result.ok and result.compiler == "typescript 5.9.3 (the project's)"


@pytest.mark.node
def test_a_compiler_that_throws_is_a_crash_with_its_output(tmp_path, tsc):
    root = write(project(tmp_path), {"node_modules/typescript/bin/tsc":
                                     "throw new Error('tsc broke')\n"})
    result = TypeChecker(tsc=tsc).check(root)
    assert result.status is Status.crashed and "tsc broke" in result.output


@pytest.mark.node
def test_a_run_past_its_time_limit_ends_as_a_timeout(tmp_path, tsc):
    result = TypeChecker(tsc=tsc, timeout=0.05).check(project(tmp_path))
    assert result.status is Status.timed_out and "did not finish in 0.05 s" in result.reason
    assert not result.ok


@pytest.mark.node
def test_incremental_runs_keep_build_info_and_find_the_same_errors(tmp_path, tsc):
    checker = TypeChecker(tsc=tsc, build_info_dir=tmp_path / "info")
    (tmp_path / "info").mkdir()
    root = project(tmp_path / "ws", src__bad="export const n: number = 'one'\n")
    first, second = checker.check(root), checker.check(root)
    assert list((tmp_path / "info").glob("*.tsbuildinfo"))
    assert first.status is second.status is Status.checked
    assert [e.key for e in first.errors] == [e.key for e in second.errors] != []
