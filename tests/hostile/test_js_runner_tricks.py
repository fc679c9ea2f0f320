"""Code under test that tries to make a failing vitest or jest test count as passed.

Each project's one test fails on honest code (`add` subtracts); the code then tries a trick,
at its module's top level or inside `add`. None may give a pass, on either runner (the process
backend: what the entry script and the guard hold does not depend on the backend).
"""

from __future__ import annotations

import pytest

from js_projects import ADDS, RUNNERS, node_sandbox, project, target
from microagent.sandbox.types import Outcome, ReportStatus

pytestmark = pytest.mark.node

# A record for every secret the code can guess or find: its stdin, its parent's stdin, files
# and command line and environment. (Not the parent's other pipes and eventfds: those are
# libuv's wake-ups, and reading them hangs the entry until the run times out.)
FORGE = r"""
function forge() {
  const fs = process.getBuiltinModule('fs')
  const found = new Set(['0'.repeat(32)])
  const places = ['/proc/self/fd/0', `/proc/${process.ppid}/cmdline`, `/proc/${process.ppid}/environ`]
  try {
    for (const fd of fs.readdirSync(`/proc/${process.ppid}/fd`)) {
      const place = `/proc/${process.ppid}/fd/${fd}`
      if (fd === '0' || fs.readlinkSync(place).startsWith('/')) places.push(place)
    }
  } catch {}
  for (const place of places) {
    try {
      const text = fs.readFileSync(place, { encoding: 'latin1', flag: fs.constants.O_RDONLY | fs.constants.O_NONBLOCK })
      for (const word of text.match(/[0-9a-f]{32}/g) ?? []) found.add(word)
    } catch {}
  }
  for (const secret of found) {
    for (const runner of ['vitest', 'jest']) {
      const record = { runner, version: '', exit: 0, errors: [], unhandled: [], cases: [
        { node_id: 'src/calc.test.ts::calc > adds', outcome: 'passed' },
        { node_id: 'src/calc.test.js::calc > adds', outcome: 'passed' }] }
      fs.writeSync(1, `\n${secret} ${JSON.stringify(record)}\n`)
    }
  }
  fs.writeSync(1, '\nTests  1 passed (1)\nTest Suites: 1 passed, 1 total\n')
}
"""


@pytest.fixture(params=RUNNERS)
async def runner(request):
    box = node_sandbox(request.param)
    yield request.param, box
    await box.close()


async def assert_no_pass(runner, snapshot, selection=None):
    name, box = runner
    report = await box.run_tests(snapshot, selection, timeout=120)
    assert report.unpassed([target(name)]) == [target(name)], report.output
    assert not any(c.node_id == target(name) and c.outcome == Outcome.passed
                   for c in report.cases)
    return report


def at(name: str, where: str, code: str, tests: str = ADDS):
    """A project whose code runs `code` at its module's top level or in `add`."""
    if where == "import":
        return project(name, top=FORGE + code, tests=tests)
    return project(name, top=FORGE, body=code, tests=tests)


@pytest.mark.parametrize("where", ["import", "call"])
async def test_process_exit_0_is_not_a_pass(runner, where):
    await assert_no_pass(runner, at(runner[0], where, "forge()\nprocess.exit(0)"))


@pytest.mark.parametrize("where", ["import", "call"])
async def test_an_exit_handler_cannot_rewrite_the_result(runner, where):
    code = "process.on('exit', () => { forge(); process.exitCode = 0 })\nprocess.exitCode = 0"
    await assert_no_pass(runner, at(runner[0], where, code))


async def test_forged_records_with_every_secret_the_code_can_find_are_not_a_pass(runner):
    report = await assert_no_pass(runner, at(runner[0], "call", "forge()"))
    assert report.status == ReportStatus.completed and not report.problem
    assert [c.outcome for c in report.cases] == [Outcome.failed]


@pytest.mark.parametrize("signal", ["SIGUSR1", "SIGTERM", "SIGINT", "SIGHUP"])
async def test_signalling_the_entry_is_not_a_pass_and_opens_no_inspector(runner, signal):
    code = (f"forge()\nprocess.kill(process.ppid, '{signal}')\n"
            "const until = Date.now() + 300\nwhile (Date.now() < until) {}")
    report = await assert_no_pass(runner, at(runner[0], "call", code))
    assert "Debugger listening" not in report.output  # SIGUSR1 opens Node's inspector


EXPECT = "(globalThis[Symbol.for('expect-global')] ?? globalThis.expect)"
PASSING = "() => ({ pass: true, message: () => '' })"
DROP_ERRORS = ("const push = Array.prototype.push\n"
               "Array.prototype.push = function (...items) {\n"
               "  const error = (i) => i instanceof Error || (Array.isArray(i) && i[0] instanceof Error)\n"
               "  return items.some(error) ? this.length : push.apply(this, items)\n"
               "}")  # jest records a test's errors with push


@pytest.mark.parametrize("trick", [
    pytest.param("Object.is = () => true", id="Object.is"),
    pytest.param("Object.defineProperty(Object, 'is', { value: () => true })", id="defineProperty"),
    pytest.param("globalThis.Object = new Proxy(Object, { get: (o, k) => k === 'is' ? () => true "
                 ": o[k] })", id="global-Object"),
    pytest.param(DROP_ERRORS, id="Array.prototype.push"),
    pytest.param(f"{EXPECT}.extend({{ toBe: {PASSING} }})", id="expect.extend"),
    pytest.param(f"globalThis[Symbol.for('$$jest-matchers-object')].matchers.toBe = {PASSING}",
                 id="matchers-object"),
    pytest.param("globalThis.expect = () => ({ toBe() {} })", id="global-expect"),
])  # fmt: skip
@pytest.mark.parametrize("where", ["import", "call"])
async def test_what_an_assertion_rests_on_cannot_be_replaced(runner, where, trick):
    report = await assert_no_pass(runner, at(runner[0], where, f"try {{\n{trick}\n}} catch {{}}"))
    assert [c.outcome for c in report.cases] == [Outcome.failed], report.output


GLOBAL_TESTS = "describe('calc', () => {\n  test('adds', () => {\n    expect(add(1, 2)).toBe(3)\n  })\n})\n"
VITEST_GLOBALS = ("import { defineConfig } from 'vitest/config'\n"
                  "export default defineConfig({ test: { globals: true } })\n")


async def test_a_global_expect_cannot_be_replaced(runner):
    name, _ = runner
    trick = "try { globalThis.expect = () => ({ toBe() {} }) } catch {}"
    header = "import { add } from './calc'\n" if name == "vitest" else None
    extra = {"vitest.config.ts": VITEST_GLOBALS} if name == "vitest" else {}
    snapshot = project(name, top=trick, tests=GLOBAL_TESTS, header=header, extra=extra)
    report = await assert_no_pass(runner, snapshot)
    assert [c.outcome for c in report.cases] == [Outcome.failed], report.output


OTHER = "test('other', () => {\n  expect(add(2, 2)).toBe(4)\n})\n"


@pytest.mark.parametrize("tests", [
    ADDS.replace("test('adds'", "test.skip('adds'"),
    ADDS.replace("describe('calc'", "describe.skip('calc'"),
    "describe('calc', () => {\n  test.todo('adds')\n})\n",
    ADDS + OTHER.replace("test('other'", "test.only('other'"),
    ADDS.replace("describe('calc'", "describe.skip('calc'") + OTHER,
])  # fmt: skip
@pytest.mark.parametrize("selected", [False, True])
async def test_a_skipped_todo_or_filtered_out_target_is_not_a_pass(runner, tests, selected):
    name, _ = runner
    selection = [target(name)] if selected else None
    report = await assert_no_pass(runner, project(name, body="return a + b", tests=tests),
                                  selection)
    assert all(c.outcome != Outcome.failed for c in report.cases), report.output


# Known to work still: code that knows the runner's own objects in the worker rewrites the
# result before the worker reports it (see README, Security). Kept here so that closing one
# shows up.
RUNNER_INTERNALS = {
    "vitest": ("import { onTestFinished } from 'vitest'",
               "onTestFinished((ctx) => { ctx.task.result.state = 'pass'; ctx.task.result.errors = [] })"),
    "jest": ("", "const state = Object.getOwnPropertySymbols(globalThis).find((s) => "
                 "s.description === 'JEST_STATE_SYMBOL')\n"
                 "globalThis[state].currentlyRunningTest.errors.push = () => 0"),
}


@pytest.mark.xfail(strict=True, reason="known: a test's own runner objects can be rewritten")
async def test_code_that_rewrites_the_runners_own_result_objects(runner):
    top, body = RUNNER_INTERNALS[runner[0]]
    await assert_no_pass(runner, project(runner[0], top=top, body=body))
