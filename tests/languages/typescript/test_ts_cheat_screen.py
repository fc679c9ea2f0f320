"""The TypeScript/JavaScript screen on its own: each construct a cheat needs is refused with its
file and line when a change adds it; code the user already had, and ordinary fixes, pass; the
files that configure the run may not change; broken input ends in a finding, never a crash."""

import textwrap

import pytest

from microagent.languages.typescript.cheat_screen import refusal, screen

CALC = "export function add(a: number, b: number): number {\n  return a - b\n}\n"
CALC_JS = "function add(a, b) {\n  return a - b\n}\nmodule.exports = { add }\n"


def added(code: str, original: str = CALC, path: str = "src/calc.ts") -> list[str]:
    """The findings of `code` put on top of the original module."""
    return [str(f) for f in screen({path: original}, {path: textwrap.dedent(code) + original})]


@pytest.mark.parametrize("code, said", [
    # ending the process, or hooking its end
    ("process.exit(0)\n", "ends the process (process.exit) in src/calc.ts:1"),
    ("process.kill(process.ppid, 'SIGTERM')\n", "ends the process (process.kill)"),
    ("process.abort()\n", "ends the process (process.abort)"),
    ("process.reallyExit(0)\n", "ends the process (process.reallyExit)"),
    ("const { exit } = process\nexit(0)\n", "ends the process (process.exit) in src/calc.ts:2"),
    ("globalThis.process['exit'](0)\n", "ends the process (process.exit)"),
    ("process.on('exit', () => {})\n", "hooks the process's end (process.on('exit'))"),
    ("process.once('beforeExit', () => {})\n", "hooks the process's end (process.once('beforeExit'))"),
    ("process.prependListener('uncaughtException', () => {})\n",
     "hooks the process's end (process.prependListener('uncaughtException'))"),
    ("process.on('unhandledRejection', () => {})\n", "process.on('unhandledRejection')"),
    ("process.exitCode = 0\n", "sets the process's exit code (process.exitCode) in src/calc.ts:1"),
    ("process.stdout.write = () => true\n", "overrides process.stdout.write"),
    ("process.stderr.write = () => true\n", "overrides process.stderr.write"),
    ("process.emit = () => false\n", "overrides process.emit"),
    # the test machinery reached from code
    ("import { expect } from 'vitest'\n", "imports vitest in src/calc.ts:1"),
    ("import { vi } from '@vitest/spy'\n", "imports @vitest/spy"),
    ("import { jest } from '@jest/globals'\n", "imports @jest/globals"),
    ("const j = require('jest')\n", "imports jest"),
    ("import expect from 'expect'\n", "imports expect"),
    ("import { test } from 'node:test'\n", "imports node:test"),
    ("import assert from 'node:assert'\n", "imports assert"),
    ("await import('vitest')\n", "imports vitest"),
    ("expect.extend({ toBe: () => ({ pass: true }) })\n", "touches the test runner's expect.extend"),
    ("expect.addEqualityTesters([() => true])\n", "expect.addEqualityTesters"),
    ("globalThis.expect = () => ({ toBe() {} })\n", "assigns the global expect"),
    ("global.expect.extend({})\n", "touches the test runner's expect.extend"),
    ("(globalThis as any).vi.fn()\n", "touches the test runner's vi.fn"),
    ("describe('x', () => {})\n", "touches the test runner's describe"),
    ("it('x', () => {})\n", "touches the test runner's it"),
    ("beforeEach(() => {})\n", "touches the test runner's beforeEach"),
    ("afterAll(() => {})\n", "touches the test runner's afterAll"),
    ("onTestFinished(() => {})\n", "touches the test runner's onTestFinished"),
    ("onTestFailed(() => {})\n", "touches the test runner's onTestFailed"),
    ("const w = (globalThis as any).__vitest_worker__\n", "names the test runner's internals"),
    ("const s = Symbol.for('$$jest-matchers-object')\n",
     "names the test runner's internals (Symbol.for('$$jest-matchers-object'))"),
    ("const s = Symbol.for('expect-global')\n", "Symbol.for('expect-global')"),
    ("const k = 'JEST_STATE_SYMBOL'\n", "names the test runner's internals (JEST_STATE_SYMBOL)"),
    ("const any = { asymmetricMatch: () => true }\n",
     "gives an object asymmetricMatch (equal to anything)"),
    ("class Any { $$typeof = Symbol.for('react.test.json') }\n", "gives an object $$typeof"),
    ("class Box { toEqual() { return true } }\n", "defines a matcher (toEqual)"),
    ("Object.prototype.equals = () => true\n", "patches a builtin (Object.prototype.equals)"),
    ("Object.defineProperty(globalThis, 'expect', { value: 1 })\n",
     "patches globalThis (Object.defineProperty)"),
    ("Reflect.set(Array.prototype, 'push', () => 0)\n", "patches Array.prototype (Reflect.set)"),
    ("Object.defineProperty(Number.prototype, 'x', { get: () => 1 })\n", "patches Number.prototype"),
    ("Object.is = () => true\n", "patches a builtin (Object.is)"),
    ("Array.prototype.push = function () { return 0 }\n", "patches a builtin (Array.prototype.push)"),
    ("Object.getPrototypeOf([]).push = () => 0\n", "patches a prototype it does not own"),
    ("globalThis.answer = 42\n", "assigns the global answer"),
    ("window.answer = 42\n", "assigns the global answer"),
    ("const s = Object.getOwnPropertySymbols(globalThis)\n",
     "looks through globalThis (Object.getOwnPropertySymbols)"),
    ("const v = globalThis[key]\n", "looks up globalThis by a computed name"),
    # mocking
    ("vi.mock('./other')\n", "touches the test runner's vi.mock"),
    ("vi.doMock('./other')\n", "touches the test runner's vi.doMock"),
    ("jest.mock('./other')\n", "touches the test runner's jest.mock"),
    ("jest.unstable_mockModule('./other', () => ({}))\n", "jest.unstable_mockModule"),
    ("vi.spyOn(Math, 'max')\n", "touches the test runner's vi.spyOn"),
    ("jest.spyOn(Math, 'max')\n", "touches the test runner's jest.spyOn"),
    # code built at run time
    ("eval('1 + 1')\n", "runs code made at run time (eval) in src/calc.ts:1"),
    ("const e = (0, eval)\n", "runs code made at run time (eval)"),
    ("const f = new Function('a', 'return a')\n", "runs code made at run time (Function)"),
    ("const f = Function('return this')()\n", "runs code made at run time (Function)"),
    ("const f = (() => 0).constructor('return process')()\n", "a Function constructor"),
    ("import vm from 'node:vm'\n", "imports vm"),
    ("const { execSync } = require('child_process')\n", "imports child_process"),
    ("import { Worker } from 'worker_threads'\n", "imports worker_threads"),
    ("import { createRequire } from 'node:module'\n", "imports module"),
    ("const M = require('module')\nM._load('x')\n", "touches the module system (module._load)"),
    ("delete require.cache[key]\n", "touches the module system (require.cache)"),
    ("const b = process.binding('fs')\n", "reaches Node's internals (process.binding)"),
    ("import inspector from 'inspector'\n", "imports inspector"),
    ("const fs = process.getBuiltinModule('fs')\n", "imports fs"),
    ("const m = await import(name)\n", "imports a module named at run time"),
    ("const r = require\n", "uses require as a value"),
    ("const p = new Proxy({}, {})\n", "makes a Proxy"),
    ("function f() { return f.caller }\n", "reaches its callers (caller)"),
    ("const x = require('../node_modules/vitest/dist/index.js')\n", "imports a module by its path"),
    # the run's secret
    ("const secret = process.env.MICROAGENT\n", "reads the run's process.env in src/calc.ts:1"),
    ("const words = process.argv.slice(2)\n", "reads the run's process.argv"),
    ("const e = process.env[key]\n", "reads the run's process.env"),
    ("const { env } = process\n", "uses the process object"),
    ("const meta = import.meta.vitest\n", "reads import.meta.vitest"),
    # a declaration that binds nothing at run time hides no global
    ("declare const process: any\nprocess.exit(0)\n", "ends the process (process.exit)"),
    ("declare global { var expect: any }\nexpect.extend({})\n", "touches the test runner's expect"),
])  # fmt: skip
def test_each_trick_is_refused_with_what_and_where(code, said):
    found = added(code)
    assert any(said in f for f in found), found


def test_the_same_tricks_are_refused_in_javascript_and_inside_the_function():
    candidate = CALC_JS.replace("return a - b", "process.exit(0)")
    assert [str(f) for f in screen({"calc.js": CALC_JS}, {"calc.js": candidate})] == \
        ["ends the process (process.exit) in calc.js:2"]
    for path in ("calc.mjs", "calc.cjs", "calc.jsx", "calc.tsx", "calc.mts", "calc.cts"):
        found = screen({path: CALC_JS}, {path: "vi.mock('x')\n" + CALC_JS})
        assert [f.what for f in found] == ["touches the test runner's vi.mock"], path


def test_ordinary_fixes_pass():
    fixes = {
        "arithmetic": CALC.replace("a - b", "a + b"),
        "strings": CALC + "export const shout = (s: string) => `${s.trim().toUpperCase()}!`\n",
        "arrays": CALC + "export function top(xs: number[]) {\n  return [...xs].sort((a, b) => b - a)"
                         ".slice(0, 3).map((x) => x * 2).filter(Boolean).reduce((s, x) => s + x, 0)\n}\n",
        "classes": CALC + textwrap.dedent("""\
            export class Stack<T> {
              #items: T[] = []
              push(item: T) { this.#items.push(item); return this }
              equals(other: Stack<T>) { return this.#items.length === other.#items.length }
              toString() { return `Stack(${this.#items.join(', ')})` }
            }
            export class NotFound extends Error {
              constructor(message: string) {
                super(message)
                Object.setPrototypeOf(this, NotFound.prototype)
              }
            }
            """),
        "async": CALC + textwrap.dedent("""\
            export async function total(load: () => Promise<number[]>) {
              const [xs, ys] = await Promise.all([load(), load()])
              try { return xs.concat(ys).length } catch (err) { throw new Error(String(err)) }
            }
            """),
        "imports": "import { clamp } from './clamp'\nimport type { Range } from '../types'\n" +
                   CALC.replace("a - b", "clamp(a + b)"),
        "names like the runner's": CALC + textwrap.dedent("""\
            export function matches(lines: string[], test = /x/) {
              const describe = (n: number) => `${n} lines`
              for (const it of lines) { if (test.test(it)) return describe(1) }
              const expect = lines.length
              return [expect, lines.map((line) => line.length)]
            }
            """),
    }  # fmt: skip
    for name, candidate in fixes.items():
        assert screen({"src/calc.ts": CALC}, {"src/calc.ts": candidate}) == [], name
    legacy = CALC_JS.replace("a - b", "a + b") + "function P(x) { this.x = x }\n" \
        "P.prototype.double = function () { return this.x * 2 }\nexports.P = P\n"
    assert screen({"calc.js": CALC_JS}, {"calc.js": legacy}) == []


def test_what_the_user_already_had_is_kept():
    original = textwrap.dedent("""\
        import fs from 'node:fs'

        export function read(path: string) {
          return fs.readFileSync(path, 'utf8')
        }

        export function main() {
          const path = process.argv[2] ?? process.env.INPUT
          console.log(read(path))
          process.exit(0)
        }
        """) + CALC
    candidate = original.replace("a - b", "a + b").replace(
        "return fs.readFileSync(path, 'utf8')",
        "const text = fs.readFileSync(path, 'utf8')\n  return text.trim() || process.env.EMPTY")
    assert screen({"src/cli.ts": original}, {"src/cli.ts": candidate}) == []
    again = candidate + "import { writeFileSync } from 'fs'\n"
    assert screen({"src/cli.ts": original}, {"src/cli.ts": again}) == []


def test_an_exit_moved_into_the_function_under_test_is_new():
    original = CALC + "export function main() {\n  process.exit(0)\n}\n"
    candidate = original.replace("return a - b", "process.exit(0)")
    assert [str(f) for f in screen({"src/calc.ts": original}, {"src/calc.ts": candidate})] == \
        ["ends the process (process.exit) in src/calc.ts:2"]


def test_a_harmless_use_of_process_passes_and_a_new_module_of_node_is_refused():
    calm = CALC.replace("return a - b", "process.nextTick(() => {})\n  return a + b")
    assert screen({"src/calc.ts": CALC}, {"src/calc.ts": calm}) == []
    fs = "import fs from 'node:fs'\n" + CALC
    assert [str(f) for f in screen({"src/calc.ts": CALC}, {"src/calc.ts": fs})] == \
        ["imports fs in src/calc.ts:1"]


@pytest.mark.parametrize("path, text, said", [
    ("vitest.config.ts", "export default {}\n", "the test run's config (vitest.config.ts)"),
    ("vite.config.mts", "export default {}\n", "the test run's config (vite.config.mts)"),
    ("jest.config.js", "module.exports = {}\n", "the test run's config (jest.config.js)"),
    ("src/setupTests.ts", "export {}\n", "the test run's setup file (setupTests.ts)"),
    ("vitest.setup.ts", "export {}\n", "setup file (vitest.setup.ts)"),
    (".babelrc", "{}\n", "changes .babelrc"),
    ("babel.config.cjs", "module.exports = {}\n", "(babel.config.cjs)"),
    ("tsconfig.json", '{"compilerOptions": {"paths": {"./calc": ["./fake"]}}}\n', "tsconfig.json"),
    ("src/__mocks__/calc.ts", "export const add = () => 3\n", "changes a module mock"),
    ("src/__snapshots__/calc.test.ts.snap", "exports[`x`] = `3`;\n", "changes a stored snapshot"),
    ("node_modules/vitest/index.js", "export {}\n", "writes into node_modules"),
    (".env", "VITEST=1\n", "changes .env"),
])  # fmt: skip
def test_a_file_that_configures_the_run_may_not_change(path, text, said):
    found = [str(f) for f in screen({}, {path: text})]
    assert found and said in found[0] and path in found[0], found
    assert screen({path: text}, {path: text}) == []  # unchanged: nothing to say


def test_package_json_may_change_only_outside_the_runs_keys():
    package = '{"name": "calc", "scripts": {"test": "vitest run"}, "version": "1.0.0"}\n'
    bumped = package.replace("1.0.0", "1.0.1")
    assert screen({"package.json": package}, {"package.json": bumped}) == []
    for key, value in (("scripts", '{"test": "true"}'), ("jest", '{"setupFiles": ["x.js"]}'),
                       ("type", '"module"')):
        changed = package.replace('"version"', f'"{key}": {value}, "version"') \
            if key != "scripts" else package.replace('"vitest run"', '"true"')
        found = [str(f) for f in screen({"package.json": package}, {"package.json": changed})]
        assert found == [f'changes package.json\'s "{key}" in package.json:1'], key
    found = screen({"package.json": package}, {"package.json": "{ not json"})
    assert [f.what for f in found] == ["makes package.json text that is not a JSON object"]


def test_test_files_are_left_alone_as_the_python_screen_leaves_them():
    trick = "import { vi } from 'vitest'\nvi.mock('./calc')\nprocess.exit(0)\n"
    for path in ("src/calc.test.ts", "src/calc.spec.js", "src/__tests__/calc.tsx"):
        assert screen({}, {path: trick}) == [], path
    assert screen({}, {"README.md": "process.exit(0)", "calc.py": "import os"}) == []


def test_broken_input_ends_in_a_finding_never_an_exception():
    broken = CALC.replace("return a - b", "return a +")
    found = screen({"src/calc.ts": CALC}, {"src/calc.ts": broken})
    assert [str(f) for f in found] == \
        ["does not parse as typescript, so it cannot be screened (a syntax error at this line) "
         "in src/calc.ts:2"]
    assert [f.what for f in screen({"a.ts": CALC}, {"a.ts": b"bytes"})] == \
        ["could not be screened: its text is bytes, not str"]  # type: ignore[dict-item]
    for text in ("", "\x00\ufffd", "}}}{{{", "\ud800", "(" * 5000, "/*"):
        screen({"a.ts": CALC}, {"a.ts": text})  # no exception, whatever it says
    deep = CALC + "const x = a" + ".b" * 20000 + "\n"
    assert [f.what for f in screen({"a.ts": CALC}, {"a.ts": deep})] == \
        ["could not be screened: it nests deeper than the screen reads"]


def test_a_broken_original_still_has_what_it_did_kept():
    original = "process.exit(1)\nexport function add(a, b {\n  return a - b\n}\n"
    candidate = original.replace("a - b", "a + b")
    assert screen({"src/calc.js": original}, {"src/calc.js": candidate}) == []
    worse = candidate + "eval('1')\n"
    assert "runs code made at run time (eval)" in \
        [f.what for f in screen({"src/calc.js": original}, {"src/calc.js": worse})]


def test_the_refusal_says_what_where_and_why():
    found = screen({"src/calc.ts": CALC}, {"src/calc.ts": "process.exit(0)\n" + CALC})
    text = refusal(found)
    assert text.startswith("refused")
    assert "the change ends the process (process.exit) in src/calc.ts:1, which no fix needs" in text
