"""Real vitest and jest runs on the host's Node.js through the process backend: outcomes, the
tests a selection runs, and the run's ends (a file that does not load, no tests at all)."""

from __future__ import annotations

import pytest

from js_projects import ADDS, RUNNERS, node_sandbox, project, spec_path, target
from microagent.languages.typescript.node_runner import NodeTestRunner
from microagent.sandbox.types import Outcome, ReportStatus

pytestmark = pytest.mark.node

SUITE = """
describe('calc', () => {
  test('adds', () => {
    expect(add(1, 2)).toBe(3)
  })
  describe('with zero (and 1.5)', () => {
    it('keeps a number', () => {
      expect(add(5, 0)).toBe(5)
    })
    test.todo('later')
  })
})
test('subtracts nothing', () => {
  expect(add(2, 2)).toBe(0)
})
"""


@pytest.fixture(params=RUNNERS)
async def runner(request):
    box = node_sandbox(request.param)
    yield request.param, box
    await box.close()


async def test_each_case_is_named_by_its_file_and_titles_with_its_outcome(runner):
    name, box = runner
    report = await box.run_tests(project(name, tests=SUITE), timeout=120)
    outcomes = {c.node_id: c.outcome for c in report.cases}
    assert report.status == ReportStatus.completed and not report.problem, report.output
    assert outcomes == {
        target(name): Outcome.failed,
        target(name, "calc > with zero (and 1.5) > keeps a number"): Outcome.passed,
        target(name, "calc > with zero (and 1.5) > later"): Outcome.skipped,
        target(name, "subtracts nothing"): Outcome.passed,
    }
    failed = next(c for c in report.cases if c.node_id == target(name))
    line = project(name, tests=SUITE).text(spec_path(name)).splitlines().index("  test('adds', () => {")
    assert "3" in failed.message and failed.line == line + 1 and failed.file == spec_path(name)
    assert not report.ok and report.summary() == "2/4 tests passing, 1 skipped"


async def test_fixed_code_passes(runner):
    name, box = runner
    report = await box.run_tests(project(name, body="return a + b"), timeout=120)
    assert report.ok, report.output
    assert [(c.node_id, c.outcome) for c in report.cases] == [(target(name), Outcome.passed)]


async def test_a_test_is_selected_by_its_node_path(runner):
    name, box = runner
    chosen = target(name, "calc > with zero (and 1.5) > keeps a number")
    report = await box.run_tests(project(name, tests=SUITE), [chosen], timeout=120)
    assert report.ok, report.output
    assert [c.node_id for c in report.cases] == [chosen]


async def test_a_file_is_selected_whole_and_other_files_do_not_run(runner):
    name, box = runner
    other = spec_path(name).replace("calc.test", "other.test")
    snapshot = project(name, tests=SUITE, extra={
        other: "test('elsewhere', () => { throw new Error('must not run') })\n"
        if name == "jest" else
        "import { test } from 'vitest'\ntest('elsewhere', () => { throw new Error('no') })\n"})
    everything = await box.run_tests(snapshot, timeout=120)
    assert f"{other}::elsewhere" in {c.node_id for c in everything.cases}
    report = await box.run_tests(snapshot, [spec_path(name)], timeout=120)
    assert {c.file for c in report.cases} == {spec_path(name)} and len(report.cases) == 4


async def test_a_test_file_that_does_not_load_is_a_collection_error(runner):
    name, box = runner
    report = await box.run_tests(project(name, tests=ADDS + "\n})(\n"), timeout=120)
    assert report.status == ReportStatus.collection_error, report.output
    assert report.collection_errors[0].startswith(spec_path(name))
    assert not report.ok


async def test_a_project_without_tests_has_none(runner):
    name, box = runner
    snapshot = project(name)
    snapshot = snapshot.model_copy(update={"files": {
        p: t for p, t in snapshot.files.items() if p != spec_path(name)}})
    report = await box.run_tests(snapshot, timeout=120)
    assert report.status == ReportStatus.no_tests and not report.problem, report.output


WHERE = """
test('where', () => {
  const cmdline = process.getBuiltinModule('fs').readFileSync('/proc/self/cmdline', 'latin1')
  console.log(cmdline.includes('--input-type=module') ? 'IN THE ENTRY' : 'IN A WORKER')
  expect(add(1, 1)).toBe(0)
})
"""


async def test_tests_run_in_a_worker_process_never_in_the_one_holding_the_secret(runner):
    name, box = runner  # one test file: jest would run it in its own process if let
    report = await box.run_tests(project(name, tests=WHERE), timeout=120)
    assert report.ok, report.output
    assert "IN A WORKER" in report.output and "IN THE ENTRY" not in report.output


SETUP = "globalThis.fromSetup = 41\n"
USES_SETUP = "test('sees its setup', () => {\n  expect(globalThis.fromSetup + 1).toBe(42)\n})\n"


async def test_the_workspace_config_and_its_setup_files_are_kept():
    box = node_sandbox("vitest")
    config = ("import { defineConfig } from 'vitest/config'\n"
              "export default defineConfig({ test: { globals: true, setupFiles: ['./setup.ts'] } })\n")
    snapshot = project("vitest", tests=USES_SETUP + ADDS, header="import { add } from './calc'\n",
                       body="return a + b",
                       extra={"vitest.config.ts": config, "setup.ts": SETUP})
    report = await box.run_tests(snapshot, timeout=120)
    assert report.ok and len(report.passed) == 2, report.output

    box = node_sandbox("jest")
    snapshot = project("jest", tests=USES_SETUP + ADDS, body="return a + b", extra={
        "jest.config.js": "module.exports = { setupFilesAfterEnv: ['<rootDir>/setup.js'] }\n",
        "setup.js": SETUP})
    report = await box.run_tests(snapshot, timeout=120)
    assert report.ok and len(report.passed) == 2, report.output


# What tests ordinarily do with the things the guard locks; none of it may fail under it.
ORDINARY = """
class Money {
  constructor(cents) { this.cents = cents }
  toString() { return `$${this.cents / 100}` }
}
const mock = typeof vi !== 'undefined' ? vi : jest

describe('ordinary tests', () => {
  test('spies, fake timers and custom matchers', () => {
    const random = mock.spyOn(Math, 'random').mockReturnValue(0.5)
    expect(Math.random()).toBe(0.5)
    random.mockRestore()
    mock.useFakeTimers()
    let fired = false
    setTimeout(() => { fired = true }, 1000)
    mock.advanceTimersByTime(1000)
    mock.useRealTimers()
    expect(fired).toBe(true)
    expect.extend({ toBeEven: (n) => ({ pass: n % 2 === 0, message: () => `${n} is odd` }) })
    expect(4).toBeEven()
    expect(3).not.toBeEven()
  })

  test('objects that define their own toString, push or valueOf', () => {
    const seen = []
    const list = [1, 2]
    list.push = function (...items) { seen.push(...items); return Array.prototype.push.apply(this, items) }
    list.push(3)
    const error = new Error('boom')
    error.toString = () => 'custom'
    const plain = {}
    plain.valueOf = () => 7
    expect([String(new Money(250)), seen, list.slice(), `${error}`, plain + 1])
      .toEqual(['$2.5', [3], [1, 2, 3], 'custom', 8])
    expect({ a: [1, { b: new Set([2]) }] }).toEqual({ a: [1, { b: new Set([2]) }] })
  })

  test.each([[1, 2, 3], [2, 2, 4]])('adds %i and %i', (a, b, sum) => {
    expect(add(a, b)).toBe(sum)
  })

  test('async code', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5))
    await expect(Promise.resolve(add(1, 1))).resolves.toBe(2)
  })
})
"""


HEADERS_WITH_VI = {
    "vitest": "import { describe, test, expect, vi } from 'vitest'\nimport { add } from './calc'\n",
    "jest": "const { add } = require('./calc')\n",
}


async def test_the_guard_leaves_ordinary_test_code_alone(runner):
    name, box = runner
    header = HEADERS_WITH_VI[name]
    report = await box.run_tests(project(name, tests=ORDINARY, header=header, body="return a + b"),
                                 timeout=120)
    assert report.ok and len(report.passed) == 5, report.output


async def test_a_workspace_without_the_runner_installed_is_told_so(runner):
    name, box = runner
    box.runner = NodeTestRunner(name, node=box.runner.node)  # from the workspace's node_modules
    report = await box.run_tests(project(name), timeout=120)
    assert report.status == ReportStatus.collection_error
    assert report.collection_errors == [
        f"{name} could not run: {name} is not installed in node_modules "
        f"(npm install --save-dev {name})"]
