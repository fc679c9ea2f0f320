"""Where a TypeScript/JavaScript bug probably is, without a tracer: the lines a failing test's
stack passes through in the workspace's code, then the rest of their definition, then the
definitions the failing test reaches, in the order it reaches them; never a test file, a blank
line or a closing brace."""

from __future__ import annotations

from microagent.languages.typescript.suspects import suspects
from microagent.sandbox.types import Outcome, TestCase, WorkspaceSnapshot

FILES = {
    "src/price.ts": ('import { round } from "./round";\n'
                     "\n"
                     "export function total(items: number[], rate: number): number {\n"
                     "  const sum = items.reduce((a, b) => a + b, 0);\n"
                     "  if (rate < 0) throw new RangeError(`bad rate ${rate}`);\n"
                     "  return round(sum * (1 + rate));\n"
                     "}\n"),
    "src/round.ts": ("export function round(value: number): number {\n"
                     "  return Math.floor(value * 100) / 100;\n"
                     "}\n"),
    "src/price.test.ts": ('import { expect, it } from "vitest";\n'
                          'import { total } from "./price";\n'
                          'it("adds the tax", () => {\n'
                          "  expect(total([1, 2], 0.5)).toBe(4.5);\n"
                          "});\n"),
}
SNAPSHOT = WorkspaceSnapshot(files={p: t.encode() for p, t in FILES.items()})


def failing(traceback: str = "") -> list[TestCase]:
    return [TestCase(node_id="src/price.test.ts::adds the tax", outcome=Outcome.failed,
                     traceback=traceback)]


def test_a_wrong_value_points_at_what_the_test_reaches_then_its_helpers():
    ranked = suspects(SNAPSHOT, failing("AssertionError: expected 4.49 to be 4.5\n"
                                        " at src/price.test.ts:4:38"))
    lines = [(path, line) for path, line, _ in ranked]
    assert lines[:4] == [("src/price.ts", 3), ("src/price.ts", 4), ("src/price.ts", 5),
                         ("src/price.ts", 6)]
    assert ("src/round.ts", 2) in lines and lines.index(("src/round.ts", 2)) > 3
    assert not any(path.endswith(".test.ts") for path, _ in lines)
    assert ("src/price.ts", 7) not in lines  # the closing brace


def test_a_frame_in_the_code_comes_first_and_its_definition_next():
    ranked = suspects(SNAPSHOT, failing("RangeError: bad rate -1\n at total (src/price.ts:5:23)\n"
                                        " at src/price.test.ts:4:12"))
    assert ranked[0][:2] == ("src/price.ts", 5) and ranked[0][2] == 1.0
    assert {(p, n) for p, n, s in ranked[1:4]} == {("src/price.ts", 3), ("src/price.ts", 4),
                                                   ("src/price.ts", 6)}
