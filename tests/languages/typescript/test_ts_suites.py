"""Tests found in Jest and Vitest files: titles through describe blocks, and the `-t` pattern
that selects one test."""

import re

from microagent.languages.typescript.parsed import parse
from microagent.languages.typescript.suites import find_tests, name_pattern

SPEC = """\
import { describe, it, test, expect } from "vitest";

describe("sum", () => {
  it("adds two numbers", () => {
    expect(1 + 2).toBe(3);
  });
  describe('edge cases', function () {
    test.only(`handles "zero"\\n`, async () => {});
    it.each([[1, 1]])("adds %i and %i", (a, b) => {});
    test.each`a | b`("table $a", () => {});
  });
  test.todo("subtracts");
  describe.skip(Calculator.name, () => {
    it.skipIf(process.env.CI)("runs locally", () => {});
  });
});

test("at the top", () => {});
test.beforeEach(() => {});
for (const n of [1, 2]) {
  test(`in a loop ${n}`, () => {});
}
"""


def test_tests_are_found_with_their_titles_through_describe_blocks():
    found = find_tests(parse("sum.test.ts", SPEC))
    assert [t.node_path for t in found] == [
        "sum > adds two numbers",
        'sum > edge cases > handles "zero"\n',
        "sum > edge cases > adds %i and %i",
        "sum > edge cases > table $a",
        "sum > subtracts",
        "sum > Calculator.name > runs locally",
        "at the top",
    ]
    assert [t.callback is None for t in found] == [False, False, False, False, True, False, False]


def test_a_test_spans_its_whole_call():
    first = find_tests(parse("sum.test.ts", SPEC))[0]
    assert (first.statement.start_point.row, first.statement.end_point.row) == (3, 5)


def test_commonjs_mocha_style_tests_are_found():
    source = ("const assert = require('assert');\n"
              "describe('Array', function () {\n"
              "  context('#indexOf()', function () {\n"
              "    it('returns -1 when absent', function () {});\n"
              "  });\n"
              "});\n")
    assert [t.node_path for t in find_tests(parse("array.spec.js", source))] == \
        ["Array > #indexOf() > returns -1 when absent"]


def test_the_pattern_selects_the_test_by_its_full_name_and_not_its_neighbours():
    pattern = re.compile(name_pattern("sum (all) > adds 1+1 [fast]"))
    assert pattern.search("sum (all) adds 1+1 [fast]")  # Jest's full name
    assert pattern.search("src/sum.test.ts sum (all) adds 1+1 [fast]")  # with a file name first
    assert not pattern.search("sum (all) adds 1+1 [fast] twice")
    assert not pattern.search("xsum (all) adds 1+1 [fast]")
    assert not pattern.search("sum all adds 11 fast")
