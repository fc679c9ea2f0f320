"""Outlines of TypeScript and JavaScript documents: functions, methods and tests with their
lines, stubs, the names tests import, and files the parser cannot fully read."""

from microagent.languages.typescript.outline import outline


def rows(result):
    return {f.node_path: (f.start, f.end) for f in result.functions}


def test_an_esm_typescript_module_lists_functions_classes_and_arrows():
    source = """\
import type { Shape } from "./shape";

export interface Point<T> { x: T; y: T }
export type Pair = [number, number];

/** Adds. */
export function add<T extends number>(a: T, b: T): number {
  return a + b;
}

export default async function* ticks(limit: number): AsyncGenerator<number> {
  yield limit;
}

export const twice = <T,>(n: T): T[] => [n, n];
let later = function (): void {};

@sealed
export class Calc<T> implements Shape {
  private total = 0;
  constructor(private readonly start: number) {}

  @log()
  add(n: number): this {
    const step = (m: number) => m + 1;
    function inner() { return step(n); }
    this.total += inner();
    return this;
  }

  get value(): number { return this.total; }
  reset = (): void => { this.total = 0; };
  abstract_like?(): void;
}
"""
    result = outline("src/calc.ts", source)
    assert result.parsed and not result.is_test_file and result.names_used == frozenset()
    assert rows(result) == {
        "add": (6, 8), "ticks": (10, 12), "twice": (14, 14), "later": (15, 15),
        "Calc::constructor": (20, 20), "Calc::add": (22, 28), "Calc::step": (24, 24),
        "Calc::inner": (25, 25), "Calc::value": (30, 30), "Calc::reset": (31, 31)}
    add = next(f for f in result.functions if f.node_path == "Calc::add")
    assert (add.name, add.top_level, add.is_test, add.has_examples) == ("add", "Calc", False, False)
    assert result.function_at(25).node_path == "Calc::inner"
    assert result.function_at(18) is None  # the class line itself


def test_a_default_export_without_a_name_is_called_default_as_javascript_calls_it():
    result = outline("handler.mjs", "export default (event) => {\n  return event;\n};\n")
    assert [(f.name, f.start, f.end) for f in result.functions] == [("default", 0, 2)]


def test_a_commonjs_module_lists_its_functions_and_exports():
    source = """\
'use strict';
function sum(a, b) {
  return a + b;
}
exports.diff = function (a, b) { return a - b; };
module.exports.product = (a, b) => a * b;
module.exports = { sum };
"""
    assert rows(outline("lib/math.cjs", source)) == {"sum": (1, 3), "diff": (4, 4), "product": (5, 5)}


def test_jsx_and_tsx_components_are_functions():
    jsx = "export function App() {\n  return <main><h1>Hi</h1></main>;\n}\n" \
          "export const Item = ({ label }) => <li>{label}</li>;\n"
    tsx = "type Props = { label: string };\n" \
          "export const Item = ({ label }: Props): JSX.Element => <li>{label}</li>;\n" \
          "export default function App<T,>(props: { items: T[] }) {\n  return <ul />;\n}\n"
    assert rows(outline("src/App.jsx", jsx)) == {"App": (0, 2), "Item": (3, 3)}
    result = outline("src/App.tsx", tsx)
    assert result.parsed and rows(result) == {"Item": (1, 1), "App": (2, 4)}


def test_stubs_are_empty_or_only_throw_that_they_are_not_written():
    source = """\
export function empty(): number {
  // TODO
}
export function notYet(): number {
  throw new Error("Not implemented");
}
export const later = () => { throw new NotImplementedError(); };
function todo() { throw "TODO"; }
export function fails(message: string): never {
  throw new Error(message);
}
export const value = () => undefined;
function written() { return 1; }
"""
    stubs = {f.name: f.is_stub for f in outline("stubs.ts", source).functions}
    assert stubs == {"empty": True, "notYet": True, "later": True, "todo": True,
                     "fails": False, "value": False, "written": False}


def test_a_test_file_lists_its_tests_by_title_and_the_names_it_imports():
    source = """\
import { sum, product as times } from "./math";
import subtract from "../subtract.js";
import * as stats from "./stats";
import { expect, test, describe } from "vitest";
const { divide, modulo: mod } = require("./divide");
const helpers = require("./helpers");
const lodash = require("lodash");

function fixture() { return [1, 2]; }

describe("math", () => {
  test("sum adds", () => {
    expect(sum(...fixture())).toBe(3);
    expect(stats.mean([1])).toBe(1);
  });
  describe("division", () => {
    it("divides", () => {
      expect(divide(4, 2)).toBe(helpers.two);
    });
  });
});
test("subtracts", () => { expect(subtract(2, 1)).toBe(times(1, 1)); });
test.todo("rounds");
"""
    result = outline("src/math.test.ts", source)
    assert result.is_test_file and result.parsed
    tests = [(f.name, f.node_path, f.top_level, f.start, f.end, f.is_stub)
             for f in result.functions if f.is_test]
    assert tests == [("sum adds", "math > sum adds", "math", 11, 14, False),
                     ("divides", "math > division > divides", "math", 16, 18, False),
                     ("subtracts", "subtracts", "subtracts", 21, 21, False),
                     ("rounds", "rounds", "rounds", 22, 22, True)]
    assert [f.name for f in result.functions if not f.is_test] == ["fixture"]
    assert result.function_at(17).name == "divides"
    assert result.names_used == {"sum", "product", "subtract", "mean", "divide", "modulo",
                                 "helpers", "two"}


def test_a_file_with_a_syntax_error_is_outlined_as_far_as_it_can_be_read():
    source = "export function ok() { return 1; }\n\nfunction broken( {\n  return 2\n}\n" \
             "function after() { return 3 }\n"
    result = outline("src/broken.ts", source)
    assert not result.parsed
    assert "ok" in rows(result) and rows(result)["ok"] == (0, 0)


def test_lines_count_characters_not_bytes_after_non_ascii_text():
    source = "// ÆØÅ — ünïcödé 🎉 comment\nconst s = \"日本語\"; function f() {\n  return s;\n}\n" \
             "export const g = () =>\n  '✓';\n"
    assert rows(outline("src/u.ts", source)) == {"f": (1, 3), "g": (4, 5)}
    assert outline("src/u.test.ts", "test(\"héllo 🎉\", () => {});\n").functions[0].name == "héllo 🎉"


def test_crlf_line_endings_give_the_same_lines():
    source = "function a() {\n  return 1;\n}\n\nclass K {\n  m() {\n    return 2;\n  }\n}\n"
    assert rows(outline("k.js", source.replace("\n", "\r\n"))) == rows(outline("k.js", source)) \
        == {"a": (0, 2), "K::m": (5, 7)}


def test_decorators_and_export_start_a_definition():
    source = "@Component({\n  selector: 'x',\n})\nexport class Widget {\n  @Input()\n  @Other()\n" \
             "  render() {}\n}\n"
    assert rows(outline("w.ts", source)) == {"Widget::render": (4, 6)}
    js = "class Widget {\n  @bound\n  render() {}\n}\n"
    assert rows(outline("w.js", js)) == {"Widget::render": (1, 2)}
