"""A failing test file built from a table (titles made at run time, so no test is found by name)
is cut to its imports and the test its failure's stack stops in, within half the Coder's
context budget, instead of filling the prompt by itself (card-validator's 7,400-token spec)."""

from __future__ import annotations

from microagent.languages.typescript.context import TEST_SHARE, build_context
from microagent.languages.typescript.parsed import parse
from microagent.languages.typescript.test_excerpt import GAP, excerpt
from microagent.sandbox.types import Outcome, TestCase, WorkspaceSnapshot

ROWS = "\n".join(f'  ["{m:02d}/{y}", {{ valid: {str(m <= 12).lower()} }}],'
                 for y in range(2020, 2040) for m in range(1, 16))
TEST = f'''import {{ describe, expect, it }} from "vitest";
import {{ parseExpiry }} from "../src/expiry";

const table = [
{ROWS}
];

describe("parseExpiry", () => {{
  it.each(table)("parses %s to be %p", (input, meta) => {{
    expect(parseExpiry(input)).toEqual(meta);
  }});

  it("refuses an empty string", () => {{
    expect(parseExpiry("")).toEqual({{ valid: false }});
  }});
}});
'''
SOURCE = '''export function parseExpiry(text: string): { valid: boolean } {
  const [month] = text.split("/");
  return { valid: Number(month) < 12 };
}
'''
EXPECT_LINE = TEST.splitlines().index("    expect(parseExpiry(input)).toEqual(meta);") + 1


def tokens(text: str) -> int:
    return len(text) // 4


def failing(traceback: str) -> list[TestCase]:
    return [TestCase(node_id='test/expiry.test.ts::parseExpiry > parses "12/2030" to be {"valid": true}',
                     outcome=Outcome.failed, traceback=traceback)]


def test_a_table_test_file_is_cut_to_the_test_its_stack_stops_in():
    files = {"test/expiry.test.ts": TEST, "src/expiry.ts": SOURCE}
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    stack = f"AssertionError: expected false to be true\n at test/expiry.test.ts:{EXPECT_LINE}:30"
    assert tokens(TEST) > 3000 * TEST_SHARE  # shown whole, it would take most of the budget

    context = build_context(snapshot, failing(stack), tokens, budget=3000)

    shown = context.tests[0].text
    assert tokens(shown) <= 3000 * TEST_SHARE
    assert 'import { parseExpiry } from "../src/expiry";' in shown
    assert "it.each(table)(" in shown and "expect(parseExpiry(input)).toEqual(meta);" in shown
    assert GAP in shown and '"12/2030"' not in shown
    assert any(piece.path == "src/expiry.ts" for piece in context.code)  # the code still fits


def test_without_a_stack_line_the_head_of_the_file_is_shown_within_the_limit():
    parsed = parse("test/expiry.test.ts", TEST)
    shown = excerpt(parsed, [], tokens, 200)
    assert tokens(shown) <= 200 + tokens(GAP) and shown.startswith("import {")
    assert shown.rstrip().endswith(GAP)


def test_a_short_test_file_is_shown_as_it_is():
    files = {"test/sum.test.ts": 'import { sum } from "../src/sum";\n'
                                 'it("adds", () => { expect(sum(1, 2)).toBe(3); });\n',
             "src/sum.ts": "export const sum = (a: number, b: number) => a - b;\n"}
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    context = build_context(snapshot, [TestCase(node_id="test/sum.test.ts::adds",
                                                outcome=Outcome.failed)], tokens)
    assert GAP not in context.tests[0].text
