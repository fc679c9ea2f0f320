"""The tests of a Jest or Vitest file: `test(...)` and `it(...)` calls, also nested in
`describe(...)` blocks, with their titles as the runner will name them.

A test's node path is its titles joined by " > " ("sum > adds two numbers"), as Vitest's
reporters print it. `name_pattern` turns one into the regular expression that `-t` (Jest's
`--testNamePattern`, Vitest's too) selects it by: both runners match `-t` against the titles
joined by single spaces. It reads trees only; it never runs a test.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from microagent.languages.typescript.parsed import FUNCTION_VALUES, Parsed

TEST_FUNCTIONS = frozenset({"test", "it", "fit", "xit", "xtest"})
SUITE_FUNCTIONS = frozenset({"describe", "suite", "context", "fdescribe", "xdescribe"})
SEPARATOR = " > "
# What a JavaScript regular expression reads as syntax, escaped in `name_pattern`.
REGEX_SYNTAX = frozenset("\\^$.*+?()[]{}|/-")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@dataclass(frozen=True)
class FoundTest:
    """One test as written: `test("adds", () => {...})` in its `describe` blocks."""

    titles: tuple[str, ...]  # the enclosing describe titles, then the test's own
    statement: tree_sitter.Node  # the whole call statement
    callback: tree_sitter.Node | None  # the test's function; None for `test.todo("...")`

    @property
    def node_path(self) -> str:
        return SEPARATOR.join(self.titles)


def find_tests(parsed: Parsed) -> list[FoundTest]:
    """The file's tests in order: those at the top and those inside describe blocks (at any
    depth). Tests built in loops or helpers are not seen, as no parse can know their titles."""
    found: list[FoundTest] = []
    _collect(parsed, parsed.root, (), found)
    return found


def name_pattern(node_path: str) -> str:
    """The `-t` pattern that selects the test at `node_path`: its titles joined by spaces,
    escaped, at the end of the full name and after its start or a space (Vitest may put the
    file's name first). A title written with `.each` placeholders (`"adds %i"`) or as an
    expression matches only as written."""
    words = " ".join(node_path.split(SEPARATOR))
    return "(^| )" + "".join("\\" + c if c in REGEX_SYNTAX else c for c in words) + "$"


def _collect(parsed: Parsed, block: tree_sitter.Node, titles: tuple[str, ...],
             found: list[FoundTest]) -> None:
    for statement in block.named_children:
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        call = statement.named_children[0]
        if call.type != "call_expression":
            continue
        kind = call_kind(parsed, call.child_by_field_name("function"))
        arguments = call.child_by_field_name("arguments")
        if kind is None or arguments is None or arguments.type != "arguments" \
                or not arguments.named_children:
            continue
        title = _title(parsed, arguments.named_children[0])
        callback = next((a for a in reversed(arguments.named_children[1:]) if a.type in FUNCTION_VALUES),
                        None)
        if kind == "test":
            found.append(FoundTest(titles + (title,), statement, callback))
        elif callback is not None:
            body = callback.child_by_field_name("body")
            if body is not None and body.type == "statement_block":
                _collect(parsed, body, titles + (title,), found)


def call_kind(parsed: Parsed, callee: tree_sitter.Node | None) -> str | None:
    """"test" or "suite" for `it`, `test.only`, `it.each(table)`, `describe.skip`..., else None."""
    # `test.each(table)("title", fn)` and test.each`table`("title", fn) call what a call returns
    while callee is not None and callee.type == "call_expression":
        callee = callee.child_by_field_name("function")
    chain: list[str] = []
    while callee is not None and callee.type == "member_expression":
        chain.append(parsed.text(callee.child_by_field_name("property")))
        callee = callee.child_by_field_name("object")
    if callee is None or callee.type != "identifier":
        return None
    root = parsed.text(callee)
    if root in SUITE_FUNCTIONS or (root in TEST_FUNCTIONS and "describe" in chain):
        return "suite"  # Playwright's test.describe(...) too
    if root in TEST_FUNCTIONS and not ({"beforeEach", "afterEach", "beforeAll", "afterAll",
                                        "use", "extend", "step"} & set(chain)):
        return "test"
    return None


def _title(parsed: Parsed, node: tree_sitter.Node) -> str:
    """The title a string or a plain template literal makes; any other expression as written."""
    if node.type == "string" or (node.type == "template_string"
                                 and not any(c.type == "template_substitution" for c in node.children)):
        parts = []
        for child in node.named_children:
            text = parsed.text(child)
            parts.append(_unescape(text) if child.type == "escape_sequence" else text)
        return "".join(parts)
    return parsed.text(node)


def _unescape(sequence: str) -> str:
    """The character a simple escape stands for; \\u and \\x escapes by their code."""
    body = sequence[1:]
    if body[:1] in ("u", "x") and len(body) > 1:
        digits = body[1:].strip("{}")
        try:
            return chr(int(digits, 16))
        except ValueError:
            return sequence
    if body.startswith(("\n", "\r")):
        return ""  # a line continuation
    return ESCAPES.get(body, body)
