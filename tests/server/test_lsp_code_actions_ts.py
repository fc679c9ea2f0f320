"""Code actions on TypeScript and JavaScript documents, over real LSP: a test() or it() offers to
be made to pass (its target names the test as vitest does, `file::describe > test`), a test
that imports what is not written yet offers to generate it, a stub a test uses offers to be
implemented, and code outside any function offers nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from microagent.agents.types import Target
from test_lsp_code_actions import FIX_FILE, FIX_TEST, IMPLEMENT, REVIEW, actions, command_of

GENERATE = "Generate implementation from test (micro-agent)"

FILES = {
    "package.json": '{"type": "module", "devDependencies": {"vitest": "^3.2.4"}}\n',
    "src/sum.ts": "export function sum(a: number, b: number): number {\n  return a - b;\n}\n",
    "src/sum.test.ts": (
        'import { describe, it, expect } from "vitest";\n'     # 0
        'import { sum } from "./sum";\n'                        # 1
        "\n"                                                    # 2
        'describe("sum", () => {\n'                             # 3
        '  it("adds two numbers", () => {\n'                    # 4
        "    expect(sum(1, 2)).toBe(3);\n"                      # 5
        "  });\n"                                               # 6
        "});\n"),                                               # 7
    "src/cart.ts": ("export const TAX = 0.2;\n\n"
                    "export function count(items: number[]): number {\n  return items.length;\n}\n"),
    "src/cart.test.ts": (
        'import { expect, test } from "vitest";\n'              # 0
        'import { count, total } from "./cart";\n'              # 1
        "\n"                                                    # 2
        'test("total sums the prices", () => {\n'               # 3
        "  expect(total([1, 2])).toBe(3);\n"                    # 4
        "  expect(count([1, 2])).toBe(2);\n"                    # 5
        "});\n"),                                               # 6
    "src/median.test.ts": (
        'import { expect, test } from "vitest";\n'
        'import { median } from "./median";\n'
        "\n"
        'test("median of three", () => {\n'                     # 3
        "  expect(median([3, 1, 2])).toBe(2);\n"
        "});\n"),
    "lib/greet.js": (
        "export const GREETING = 'Hello';\n"                    # 0
        "\n"                                                    # 1
        "export function greet(name) {\n"                       # 2
        '  throw new Error("not implemented");\n'               # 3
        "}\n"),                                                 # 4
    "lib/greet.test.js": (
        'import { greet } from "./greet.js";\n'
        "\n"
        'it("greets by name", () => {\n'                        # 2
        '  expect(greet("Ada")).toBe("Hello, Ada");\n'
        "});\n"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A vitest project (overrides conftest's Python one for the `lsp` fixture)."""
    root = tmp_path / "proj"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_vitest_target_survives_parsing():
    target = Target.parse("src/sum.test.ts::sum > adds two numbers")
    assert (target.path, target.symbol, target.test) == ("src/sum.test.ts", "", "sum > adds two numbers")
    assert str(target) == "src/sum.test.ts::sum > adds two numbers"
    nested = Target.parse("src/a.spec.tsx::Cart::total > with tax: 20%")  # "::" and ":" in titles
    assert (nested.path, nested.test) == ("src/a.spec.tsx", "Cart::total > with tax: 20%")


async def test_in_a_typescript_test_the_target_names_it_as_vitest_does(lsp):
    editor = await lsp()
    editor.open("src/sum.test.ts")
    found = await actions(editor, "src/sum.test.ts", 5)  # inside it("adds two numbers")
    assert command_of(found[FIX_TEST]) == ("microagent.fix", "src/sum.test.ts::sum > adds two numbers")
    assert found[FIX_TEST].kind == types.CodeActionKind.QuickFix
    assert command_of(found[FIX_FILE]) == ("microagent.fix", "src/sum.test.ts")
    assert GENERATE not in found  # ./sum exports sum, written
    assert [a["uri"] for a in found[FIX_TEST].command.arguments] == [editor.uri("src/sum.test.ts")]


async def test_outside_any_test_in_a_test_file_only_the_whole_file(lsp):
    editor = await lsp()
    editor.open("src/sum.test.ts")
    assert set(await actions(editor, "src/sum.test.ts", 1)) == {FIX_FILE}


async def test_a_test_importing_a_name_its_module_does_not_export_offers_to_generate_it(lsp):
    editor = await lsp()
    editor.open("src/cart.test.ts")
    found = await actions(editor, "src/cart.test.ts", 4)
    assert command_of(found[GENERATE]) == ("microagent.implement",
                                           "src/cart.test.ts::total sums the prices")
    assert found[GENERATE].kind == types.CodeActionKind.QuickFix
    assert command_of(found[FIX_TEST]) == ("microagent.fix", "src/cart.test.ts::total sums the prices")


async def test_a_test_importing_a_module_not_written_yet_offers_to_generate_it(lsp):
    editor = await lsp()
    editor.open("src/median.test.ts")
    found = await actions(editor, "src/median.test.ts", 4)
    assert command_of(found[GENERATE]) == ("microagent.implement", "src/median.test.ts::median of three")


async def test_an_export_typed_but_not_saved_counts_as_written(lsp, project: Path):
    editor = await lsp()
    editor.open("src/cart.test.ts")
    editor.open("src/cart.ts")
    assert GENERATE in await actions(editor, "src/cart.test.ts", 4)
    editor.type("src/cart.ts", 5, 0, "\nexport function total(prices: number[]): number {\n"
                                     "  return prices.reduce((a, b) => a + b, 0);\n}\n")
    assert GENERATE not in await actions(editor, "src/cart.test.ts", 4)
    assert "total" not in (project / "src/cart.ts").read_text()


async def test_on_a_javascript_stub_a_test_uses(lsp):
    editor = await lsp()
    editor.open("lib/greet.test.js")
    editor.open("lib/greet.js")
    found = await actions(editor, "lib/greet.js", 3)
    assert command_of(found[IMPLEMENT]) == ("microagent.implement", "lib/greet.js:greet")
    assert command_of(found[REVIEW]) == ("microagent.review", "lib/greet.js:greet")
    assert await actions(editor, "lib/greet.js", 0) == {}  # a constant: outside any function


async def test_a_javascript_test_it_and_its_stub(lsp):
    editor = await lsp()
    editor.open("lib/greet.test.js")
    found = await actions(editor, "lib/greet.test.js", 3)
    assert command_of(found[FIX_TEST]) == ("microagent.fix", "lib/greet.test.js::greets by name")
    assert command_of(found[GENERATE]) == ("microagent.implement", "lib/greet.test.js::greets by name")


async def test_outside_functions_in_a_typescript_source_nothing(lsp):
    editor = await lsp()
    editor.open("src/cart.ts")
    assert await actions(editor, "src/cart.ts", 0) == {}  # export const TAX = 0.2;
    assert await actions(editor, "src/cart.ts", 1) == {}
    assert set(await actions(editor, "src/cart.ts", 3)) == {REVIEW}
