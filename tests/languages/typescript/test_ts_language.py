"""TypeScript/JavaScript as a Language: test files, outlines, the runner a workspace names, the
Coder's context (the failing tests and the code their imports reach, within a budget) and
workspaces made from a chat's code blocks. Projects are dicts; one test runs vitest for real."""

from __future__ import annotations

import inspect

import pytest

from microagent.languages.language import ChatFiles, Language
from microagent.languages.python.language import PYTHON
from microagent.languages.typescript.context import build_context
from microagent.languages.typescript.detect import NoTestRunner
from microagent.languages.typescript.language import TYPESCRIPT, TypeScript
from microagent.sandbox.types import Outcome, TestCase, WorkspaceSnapshot

TS = TYPESCRIPT


def tokens(text: str) -> int:
    return len(text) // 4


def snapshot(files: dict[str, str]) -> WorkspaceSnapshot:
    return WorkspaceSnapshot(files={path: text.encode() for path, text in files.items()})


def failed(*node_ids: str, traceback: str = "") -> list[TestCase]:
    return [TestCase(node_id=n, outcome=Outcome.failed, traceback=traceback) for n in node_ids]


def members(protocol: type) -> set[str]:
    names = set(getattr(protocol, "__annotations__", {}))
    return names | {n for n, v in vars(protocol).items() if inspect.isfunction(v) and not n.startswith("_")}


def test_typescript_fills_the_protocol_and_is_served():
    from microagent.languages.registry import LANGUAGES, language_of_file

    assert {m for m in members(Language) if not hasattr(TS, m)} == set()
    assert {m for m in members(ChatFiles) if not hasattr(TS.chat, m)} == set()
    assert LANGUAGES[TS.name] is TS and language_of_file("src/sum.ts") is TS
    assert set(TS.suffixes) == {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"}


# --- which files are tests ---------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "sum.test.ts", "src/sum.spec.tsx", "src/__tests__/sum.js", "lib/x.test.mjs", "a.spec.cts",
    "src/setupTests.ts", "vitest.setup.ts", "jest.setup.js", "src/__mocks__/fs.js",
    "tests/helpers.ts", "test/fixtures/data.js", "src/test-utils.tsx"])
def test_tests_and_test_support_are_test_files(path):
    assert TS.is_test_file(path)


@pytest.mark.parametrize("path", ["src/sum.ts", "index.js", "src/testing.ts", "sum.test.py",
                                  "README.md", "src/contest.ts", "vitest.config.ts"])
def test_code_is_no_test_file(path):
    assert not TS.is_test_file(path)


def test_file_watchers_see_tests_and_setup_files():
    import re

    def pattern(glob):  # an LSP glob: `**/` any folders (or none), `*` within a name
        parts = re.split(r"(\*\*/|\*)", glob)
        return "".join({"**/": "(?:.*/)?", "*": "[^/]*"}.get(p, re.escape(p)) for p in parts)

    def watched(path):
        return any(re.fullmatch(pattern(g), path) for g in TS.test_file_globs)

    assert watched("src/a.test.ts") and watched("a.spec.jsx") and watched("src/__tests__/a.js")
    assert watched("jest.setup.js") and watched("src/setupTests.ts") and watched("tests/helpers.ts")
    assert not watched("src/a.ts") and not watched("tests/data.json")


# --- outline ------------------------------------------------------------------------------

SUM_TEST = """\
import { describe, test, expect } from "vitest"
import { sum, product } from "./sum"

describe("sum", () => {
  test("adds", () => {
    expect(sum(1, 2)).toBe(3)
  })
  it("adds none", () => {
    expect(sum()).toBe(0)
  })
})
test("multiplies", () => {
  expect(product(2, 3)).toBe(6)
})
"""


def test_a_test_is_named_by_the_runners_id_and_stubs_and_examples_are_marked():
    tests = TS.outline("src/sum.test.ts", SUM_TEST)
    assert tests.is_test_file and tests.parsed
    assert [(f.node_path, f.top_level, f.is_test) for f in tests.functions] == [
        ("sum > adds", "sum", True), ("sum > adds none", "sum", True),
        ("multiplies", "multiplies", True)]
    assert tests.names_used == {"sum", "product"}
    code = TS.outline("src/sum.ts", """\
/**
 * Adds.
 * @example sum(1, 2) // 3
 */
export function sum(...xs: number[]): number {
  throw new Error("not implemented")
}
export const product = (a, b) => {}
export function half(n) { throw new RangeError(`bad ${n}`) }
""")
    rows = {f.node_path: (f.start, f.is_stub, f.has_examples) for f in code.functions}
    assert rows == {"sum": (4, True, True), "product": (7, True, False), "half": (8, False, False)}


# --- the test runner ----------------------------------------------------------------------

def test_the_runner_is_the_one_the_workspace_names():
    ts = TypeScript(modules="/opt/runners/node_modules", node="/usr/bin/node")
    vitest = ts.test_runner(snapshot({"package.json": '{"scripts": {"test": "vitest run"}}'}))
    jest = ts.test_runner(snapshot({"package.json": "{}", "jest.config.js": "module.exports = {}"}))
    assert (vitest.runner, vitest.modules, vitest.node) == ("vitest", "/opt/runners/node_modules",
                                                            "/usr/bin/node")
    assert jest.runner == "jest" and "--input-type=module" in jest.argv(["a.test.js"], "")


def test_a_workspace_naming_no_runner_is_told_what_to_add():
    with pytest.raises(NoTestRunner, match="npm install -D vitest"):
        TS.test_runner(snapshot({"sum.test.ts": SUM_TEST}))
    with pytest.raises(NoTestRunner, match="chosen from the workspace's files"):
        TS.test_runner()


def test_python_takes_the_workspace_and_keeps_pytest():
    assert PYTHON.test_runner(snapshot({"a.py": ""})) is PYTHON.test_runner()


# --- the Coder's context ------------------------------------------------------------------

def test_esm_typescript_shows_the_failing_test_and_the_function_it_calls():
    project = snapshot({"package.json": "{}", "src/sum.ts": "export function sum(...xs: number[]) {\n"
                        "  return xs.reduce((a, b) => a - b, 0)\n}\n\nexport function product(a, b) "
                        "{\n  return a * b\n}\n", "src/sum.test.ts": SUM_TEST})
    context = TS.coder_context(project, failed("src/sum.test.ts::sum > adds"), tokens)
    test = context.tests[0]
    assert test.path == "src/sum.test.ts" and 'test("adds"' in test.text
    assert 'import { sum, product } from "./sum"' in test.text
    assert "adds none" not in test.text and "multiplies" not in test.text
    assert context.target_files == ["src/sum.ts"] and context.missing == {}
    assert "a - b" in context.code[0].text and context.wanted_names == ["sum"]


def test_commonjs_javascript_reaches_the_module_through_require():
    project = snapshot({
        "lib/calc.js": "const { round } = require('./round')\n\nfunction add(a, b) {\n  return round(a - b)\n}\n"
                       "function sub(a, b) {\n  return a - b\n}\nmodule.exports = { add, sub }\n",
        "lib/round.js": "exports.round = function (n) { return Math.round(n) }\n",
        "lib/calc.test.js": "const calc = require('./calc')\n\n"
                            "test('adds', () => {\n  expect(calc.add(1, 2)).toBe(3)\n})\n"})
    context = TS.coder_context(project, failed("lib/calc.test.js::adds"), tokens)
    assert context.target_files == ["lib/calc.js", "lib/round.js"]
    assert context.code[0].names == ["add"] and "Math.round" in context.code[1].text
    assert "function sub" not in context.code[0].text and "module.exports" in context.code[0].text


def test_esm_javascript_reaches_a_default_export_and_a_namespace_import():
    project = snapshot({
        "calc.mjs": "export default function add(a, b) {\n  return a - b\n}\n"
                    "export function sub(a, b) {\n  return a - b\n}\n",
        "calc.test.mjs": "import add from './calc.mjs'\nimport * as calc from './calc.mjs'\n\n"
                         "test('adds', () => {\n  expect(add(1, 2)).toBe(3)\n  expect(calc.mul(2, 2)).toBe(4)\n})\n"})
    context = TS.coder_context(project, failed("calc.test.mjs::adds"), tokens)
    assert context.target_files == ["calc.mjs"] and context.missing == {"mul": "calc.mjs"}
    assert "add" in context.wanted_names and "function add" in context.code[0].text


def test_a_test_in_tests_reaches_src_through_a_folder_index_and_an_alias():
    project = snapshot({
        "tsconfig.json": '{\n  // paths\n  "compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]},},\n}',
        "src/index.ts": 'export * from "./money"\nexport { fmt } from "./format/index.js"\n',
        "src/money.ts": 'import { fmt } from "@/format"\n\nexport function total(xs: number[]): string {\n'
                        "  return fmt(xs.reduce((a, b) => a + b, 1))\n}\n",
        "src/format/index.ts": "export function fmt(n: number) { return `$${n}` }\n",
        "tests/money.test.ts": 'import { total } from "../src"\n\n'
                               'test("totals", () => expect(total([1, 2])).toBe("$3"))\n'})
    context = TS.coder_context(project, failed("tests/money.test.ts::totals"), tokens)
    assert context.target_files == ["src/money.ts", "src/format/index.ts"]
    assert "export function total" in context.code[0].text and "fmt(n" in context.code[1].text
    assert not any(TS.is_test_file(p) for p in context.target_files)


def test_a_name_the_module_does_not_export_yet_is_missing_there():
    project = snapshot({
        "src/shapes.ts": "export function area(w: number, h: number) {\n  return w * h\n}\n"
                         "export function perimeter(w: number, h: number): number {\n"
                         "  throw new Error('TODO')\n}\n",
        "tests/shapes.test.ts": 'import { area, perimeter, diagonal } from "../src/shapes"\n'
                                'import { Circle } from "../src/circle"\n\n'
                                'test("all", () => {\n  expect(area(2, 3)).toBe(6)\n'
                                '  expect(perimeter(2, 3)).toBe(10)\n  expect(diagonal(3, 4)).toBe(5)\n'
                                '  expect(new Circle(1).r).toBe(1)\n})\n'})
    context = TS.coder_context(project, failed("tests/shapes.test.ts::all"), tokens)
    assert context.missing == {"perimeter": "src/shapes.ts", "diagonal": "src/shapes.ts",
                               "Circle": "src/circle.ts"}
    assert context.target_files == ["src/shapes.ts", "src/circle.ts"]
    assert context.code[0].text == project.text("src/shapes.ts")  # small, and something to write


def test_the_budget_cuts_the_least_relevant_code_first():
    helper = "".join(f"  const step{i} = n + {i}\n" for i in range(60))
    project = snapshot({
        "src/price.ts": 'import { tax } from "./tax"\n\nexport function price(n: number) {\n'
                        "  return n + tax(n)\n}\n",
        "src/tax.ts": f"export function tax(n: number) {{\n{helper}  return n * 0.2\n}}\n",
        "src/price.test.ts": 'import { price } from "./price"\n\ntest("prices", () => {\n'
                             "  expect(price(10)).toBe(12)\n})\n"})
    cases = failed("src/price.test.ts::prices")
    roomy = build_context(project, cases, tokens, budget=3000)
    tight = build_context(project, cases, tokens, budget=200)
    assert [p.path for p in roomy.code] == ["src/price.ts", "src/tax.ts"]
    assert [p.path for p in tight.code] == ["src/price.ts"]  # the helper two imports away goes
    assert tight.target_files == ["src/price.ts", "src/tax.ts"]


def test_the_suspects_functions_come_first_and_a_stack_frame_ranks_its_file():
    project = snapshot({
        "src/a.ts": 'import { b } from "./b"\nexport function a(n) {\n  return b(n)\n}\n'
                    "export function other() {\n  return 0\n}\n",
        "src/b.ts": "export function b(n) {\n  return n - 1\n}\nexport function c() {\n  return 2\n}\n",
        "src/a.test.ts": 'import { a } from "./a"\ntest("a", () => expect(a(1)).toBe(2))\n'})
    frame = "AssertionError: expected 0 to be 2\n    at b (/sandbox/work/src/b.ts:2:10)\n"
    traced = TS.coder_context(project, failed("src/a.test.ts::a", traceback=frame), tokens)
    assert traced.target_files[0] == "src/b.ts"
    suspected = TS.coder_context(project, failed("src/a.test.ts::a"), tokens, suspects=[("src/b.ts", 5)])
    assert suspected.code[0].path == "src/b.ts" and "return 2" in suspected.code[0].text


# --- malformed input ----------------------------------------------------------------------

MALFORMED = {
    "src/bad.ts": "export function broken(a: number {\n  return a +\n}\nclass {\n",
    "src/bad.test.ts": 'import { broken, gone } from "./bad"\nimport x from "./nowhere.js"\n'
                       'describe("bad", () => {\n  test("breaks", () => { expect(broken(1)).toBe(\n})\n',
    "src/empty.test.js": "",
    "src/binary.js": "\x00\x01\udcff",
    "package.json": "{not json",
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": 5, "x": ["*/*/*"]}, "baseUrl": 3}}',
}


def test_every_method_reads_a_malformed_workspace_without_an_exception():
    project = WorkspaceSnapshot(files={p: t.encode("utf-8", "surrogateescape") for p, t in MALFORMED.items()})
    for path, text in MALFORMED.items():
        TS.is_test_file(path)
        outline = TS.outline(path, text)
        assert outline.parsed is (path not in ("src/bad.ts", "src/bad.test.ts", "src/binary.js")
                                  and path.endswith((".ts", ".js")))
    cases = failed("src/bad.test.ts::bad > breaks", "src/empty.test.js::x", "src/gone.test.ts::y",
                   "::", "src/bad.test.ts", traceback="at src/bad.ts:99:1 at /x/y.js:1:1")
    context = TS.coder_context(project, cases, tokens, suspects=[("src/bad.ts", 2), ("nope.ts", 1)])
    assert "src/bad.ts" in context.target_files and context.missing.get("x") is None
    with pytest.raises(NoTestRunner):
        TS.test_runner(project)
    chat = TS.chat
    for text in MALFORMED.values():
        chat.is_code(text), chat.looks_like_code(text), chat.is_test_code(text), chat.has_examples(text)
    workspace = dict(MALFORMED)
    tests = sorted(filter(chat.holds_tests, workspace))
    assert chat.missing_modules(workspace, tests) == ["src/nowhere.ts"]
    assert chat.module_for_tests(workspace, tests) == "src/bad.ts"
    assert chat.needs_writing(workspace, "src/bad.ts", tests)  # `gone` is not there


# --- chats --------------------------------------------------------------------------------

def test_chat_blocks_are_sorted_into_code_and_tests():
    chat = TS.chat
    assert {"ts", "typescript", "js", "javascript", "tsx", "jsx"} <= chat.fences
    assert chat.default_module == "solution.ts" and chat.default_tests == "solution.test.ts"
    assert chat.is_code("const add = (a: number, b: number) => a + b")
    assert chat.is_code("export const App = () => <div>hi</div>")  # JSX
    assert not chat.is_code("hello") and not chat.is_code("please fix my code")
    assert chat.looks_like_code("function f( {\n  return 1\n") and not chat.looks_like_code("1 passed, 2 failed")
    assert chat.is_test_code(SUM_TEST) and not chat.is_test_code("export function sum() {}\n" + SUM_TEST)
    assert not chat.is_test_code("const x = 1")
    assert chat.has_examples("/** @example sum(1) */\nfunction sum(n) { return n }")
    assert not chat.has_examples("/** Sums. */\nfunction sum(n) { return n }")


def test_a_chat_workspace_finds_the_module_its_tests_import_or_where_to_write_it():
    chat = TS.chat
    tests = {"sum.test.ts": 'import { sum } from "./sum.js"\nimport { it } from "vitest"\n'
                            'it("adds", () => expect(sum(1, 2)).toBe(3))\n'}
    assert chat.missing_modules(tests, ["sum.test.ts"]) == ["sum.ts"]
    assert chat.module_for_tests(tests, ["sum.test.ts"]) == "sum.ts"
    assert chat.needs_writing(tests, "sum.ts", ["sum.test.ts"])
    written = {**tests, "sum.ts": "export function sum(a: number, b: number) {\n  return a - b\n}\n"}
    assert chat.missing_modules(written, ["sum.test.ts"]) == []
    assert chat.module_for_tests(written, ["sum.test.ts"]) == "sum.ts"
    assert not chat.needs_writing(written, "sum.ts", ["sum.test.ts"])
    stubbed = {**tests, "sum.ts": "export function sum(a, b) {}\n"}
    assert chat.needs_writing(stubbed, "sum.ts", ["sum.test.ts"])
    required = {"sum.test.js": "const { sum } = require('./lib/sum')\ntest('a', () => {})\n"}
    assert chat.module_for_tests(required, ["sum.test.js"]) == "lib/sum.js"
    assert chat.module_for_tests({"a.test.ts": "test('a', () => {})"}, ["a.test.ts"]) == "solution.ts"


# --- a real run ---------------------------------------------------------------------------

@pytest.mark.node
async def test_the_runners_failing_ids_find_their_tests_and_code(tmp_path):
    from js_projects import project, spec_path
    from microagent.sandbox.process_backend import ProcessSandbox
    import os
    import sys
    import system_parts

    workspace = project("vitest")
    runner = TypeScript(modules=system_parts.js_runners(),
                        node=os.environ.get("MICROAGENT_NODE", "node")).test_runner(workspace)
    box = ProcessSandbox(sys.executable, runner=runner)
    try:
        report = await box.run_tests(workspace, timeout=120)
    finally:
        await box.close()
    failing = [c for c in report.cases if c.outcome == Outcome.failed]
    assert [c.node_id for c in failing] == [f"{spec_path('vitest')}::calc > adds"], report.output
    outline = TS.outline(spec_path("vitest"), workspace.text(spec_path("vitest")))
    assert [f.node_path for f in outline.functions if f.is_test] == ["calc > adds"]
    context = TS.coder_context(workspace, failing, tokens)
    assert context.target_files[0] == "src/calc.ts" and "a - b" in context.code[0].text
