"""The forgeries the runner alone cannot stop (the strict xfails of test_js_runner_tricks.py:
vitest's onTestFinished rewriting the result, jest's JEST_STATE_SYMBOL errors push), and every
other trick tried there, are refused by the TypeScript/JavaScript cheat screen before they run.

Pure: the screen reads the exact sources those tests run, and runs nothing.
"""

from __future__ import annotations

import pytest

from js_projects import RUNNERS, module_source
from microagent.languages.typescript.cheat_screen import refusal, screen
from test_js_runner_tricks import DROP_ERRORS, EXPECT, FORGE, PASSING, RUNNER_INTERNALS


def screened(runner: str, top: str = "", body: str = "") -> list[str]:
    """What the screen says of `add`'s module turned into the hostile one."""
    path = f"src/calc.{'ts' if runner == 'vitest' else 'js'}"
    honest = module_source(runner)
    found = screen({path: honest}, {path: module_source(runner, body=body, top=top)})
    if found:
        assert refusal(found).startswith("refused without running the tests")
    return [f.what for f in found]


def test_vitests_on_test_finished_result_rewrite_is_refused():
    top, body = RUNNER_INTERNALS["vitest"]
    found = screened("vitest", top=top, body=body)
    assert "imports vitest" in found
    assert "touches the test runner's vitest.onTestFinished" in found


def test_jests_errors_push_through_jest_state_symbol_is_refused():
    top, body = RUNNER_INTERNALS["jest"]
    found = screened("jest", top=top, body=body)
    assert "names the test runner's internals (JEST_STATE_SYMBOL)" in found
    assert "looks through globalThis (Object.getOwnPropertySymbols)" in found
    assert "looks up globalThis by a computed name" in found


@pytest.mark.parametrize("runner", RUNNERS)
@pytest.mark.parametrize("where", ["top", "body"])
@pytest.mark.parametrize("trick, said", [
    ("forge()\nprocess.exit(0)", "ends the process (process.exit)"),
    ("process.on('exit', () => { forge(); process.exitCode = 0 })\nprocess.exitCode = 0",
     "hooks the process's end (process.on('exit'))"),
    ("forge()\nprocess.kill(process.ppid, 'SIGUSR1')", "ends the process (process.kill)"),
    ("Object.is = () => true", "patches a builtin (Object.is)"),
    ("Object.defineProperty(Object, 'is', { value: () => true })",
     "patches Object (Object.defineProperty)"),
    ("globalThis.Object = new Proxy(Object, { get: (o, k) => k === 'is' ? () => true : o[k] })",
     "assigns the global Object"),
    (DROP_ERRORS, "patches a builtin (Array.prototype.push)"),
    (f"{EXPECT}.extend({{ toBe: {PASSING} }})", "names the test runner's internals"),
    (f"globalThis[Symbol.for('$$jest-matchers-object')].matchers.toBe = {PASSING}",
     "names the test runner's internals (Symbol.for('$$jest-matchers-object'))"),
    ("globalThis.expect = () => ({ toBe() {} })", "assigns the global expect"),
])  # fmt: skip
def test_every_trick_the_runner_tests_try_is_refused_too(runner, where, trick, said):
    code = f"try {{\n{trick}\n}} catch {{}}"
    found = screened(runner, top=FORGE + code if where == "top" else FORGE,
                     body=code if where == "body" else "")
    assert any(said in what for what in found), found


def test_the_forged_records_alone_are_refused():
    found = screened("vitest", top=FORGE, body="forge()")
    assert "imports fs" in found  # process.getBuiltinModule('fs')
    assert "reads the run's process.ppid" in found
