"""One-edit mutants of a TypeScript or JavaScript line, made on the syntax tree: the classic
operators, each mutant parsing, the rest of the line as written, the likeliest kinds first."""

from __future__ import annotations

import pytest

from microagent.languages.typescript.mutations import mutants, parses

SOURCE = """export function clamp(value: number, low: number, high: number): number {
  if (value < low) return low; // below the range
  return Math.min(value, high);
}

export function toFahrenheit(celsius: number): number {
  return (celsius * 9) / 5 - 32;
}

export function last<T>(items: T[]): T {
  return items[items.length - 1];
}

export function isAdult(age: number, strict = false): boolean {
  return !strict && age >= 18;
}

export function countDown(n: number): number[] {
  const out: number[] = [];
  for (let i = n; i > 0; i--) out.push(i);
  return out;
}
"""


def changed_lines(path: str, source: str, line: int) -> dict[str, str]:
    return {m.kind: m.source.splitlines()[line - 1].strip() for m in mutants(path, source, line)}


def all_lines(path: str, source: str, line: int) -> set[str]:
    return {m.source.splitlines()[line - 1].strip() for m in mutants(path, source, line)}


def test_an_off_by_one_comparison_comes_first_and_the_comment_stays():
    made = mutants("range.ts", SOURCE, 2)
    assert made[0].source.splitlines()[1] == "  if (value <= low) return low; // below the range"
    assert made[0].kind == "< -> <=" and made[0].weight == 1.0
    assert "add not" in {m.kind for m in made}


def test_a_confused_library_method_and_swapped_arguments():
    lines = changed_lines("range.ts", SOURCE, 3)
    assert lines["method min -> max"] == "return Math.max(value, high);"
    assert lines["swap arguments"] == "return Math.min(high, value);"


def test_the_sign_of_a_constant_and_the_constant_itself():
    lines = all_lines("convert.ts", SOURCE, 7)
    assert "return (celsius * 9) / 5 + 32;" in lines  # the fix of examples/temperature-jest
    assert "return (celsius * 9) / 5 - 31;" in lines and "return (celsius * 9) * 5 - 32;" in lines


def test_an_index_off_by_one_is_dropped_or_moved_without_a_redundant_edit():
    lines = changed_lines("last.ts", SOURCE, 11)
    assert lines["drop - 1"] == "return items[items.length];"
    made = all_lines("last.ts", SOURCE, 11)
    assert "return items[items.length - 2];" in made
    assert "return items[(items.length - 1) + 1];" not in made


def test_a_condition_side_and_a_negation_are_dropped():
    lines = all_lines("age.ts", SOURCE, 15)
    assert {"return strict && age >= 18;", "return !strict;", "return age >= 18;",
            "return !strict || age >= 18;", "return !strict && age > 18;"} <= lines


def test_a_loop_counts_the_other_way_and_its_bound_moves():
    lines = all_lines("count.ts", SOURCE, 20)
    assert "for (let i = n; i > 0; i++) out.push(i);" in lines
    assert "for (let i = n; i >= 0; i--) out.push(i);" in lines
    assert "for (let i = n; i > 0; i--) out.unshift(i);" in lines


@pytest.mark.parametrize("path", ["calc.js", "calc.mjs", "calc.cjs", "calc.jsx", "calc.tsx"])
def test_javascript_and_jsx_files_are_mutated_by_their_own_grammar(path):
    source = "function inRange(x, lo, hi) {\n  return x >= lo && x < hi;\n}\n"
    made = mutants(path, source, 2)
    assert made and all(parses(path, m.source) for m in made)
    assert "  return x >= lo && x <= hi;" in {m.source.splitlines()[1] for m in made}


def test_nothing_for_a_file_that_does_not_parse_a_blank_line_or_another_language():
    assert mutants("broken.ts", "function f( {\n  return 1 < 2;\n", 2) == []
    assert mutants("range.ts", SOURCE, 4) == []
    assert mutants("calc.py", "x = 1 < 2\n", 1) == []


def test_every_mutant_differs_once_and_parses():
    for line in range(1, SOURCE.count("\n") + 1):
        made = mutants("all.ts", SOURCE, line)
        sources = [m.source for m in made]
        assert len(sources) == len(set(sources)) and SOURCE not in sources
        assert all(parses("all.ts", s) for s in sources)
