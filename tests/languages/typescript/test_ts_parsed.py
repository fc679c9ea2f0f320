"""Parsing TypeScript and JavaScript by suffix with tree-sitter: the grammar each file gets,
errors, test files by Jest's and Vitest's rules, and the top-level definitions."""

import pathspec
import pytest

from microagent.languages.typescript.parsed import (TEST_FILE_GLOBS, grammar_for, is_test_file, parse,
                                                    top_definitions)


@pytest.mark.parametrize("path, grammar", [
    ("src/sum.ts", "typescript"), ("src/Button.tsx", "tsx"), ("lib/sum.js", "javascript"),
    ("lib/App.jsx", "javascript"), ("lib/sum.mjs", "javascript"), ("lib/sum.cjs", "javascript"),
    ("src/types.d.ts", "typescript"), ("README.md", None), ("calc.py", None)])
def test_each_suffix_gets_its_grammar(path, grammar):
    assert grammar_for(path) == grammar


def test_a_file_of_another_language_is_refused_with_the_suffixes_we_read():
    with pytest.raises(ValueError, match=r"\.tsx"):
        parse("calc.py", "def f(): pass\n")


def test_jsx_parses_in_javascript_and_tsx_but_not_as_plain_typescript():
    component = "const App = () => <div className=\"x\">{1}</div>;\n"
    assert not parse("App.jsx", component).has_errors
    assert not parse("App.tsx", component).has_errors
    assert parse("App.ts", component).has_errors


def test_a_type_assertion_parses_as_typescript_not_as_tsx():
    cast = "const n = <number>value;\n"
    assert not parse("n.ts", cast).has_errors
    assert parse("n.tsx", cast).has_errors


def test_errors_and_missing_tokens_are_both_errors():
    assert parse("a.ts", "function f( {\n  return 1\n}\n").has_errors  # an ERROR node
    assert parse("a.ts", "function f() { return 1 +; }\n").has_errors  # a MISSING identifier
    assert not parse("a.ts", "function f() { return 1 }\n").has_errors  # no semicolon is fine


@pytest.mark.parametrize("path", [
    "sum.test.ts", "src/sum.test.tsx", "sum.spec.js", "sum.test.jsx", "sum.test.mjs", "sum.spec.cjs",
    "src/__tests__/sum.ts", "src/__tests__/helpers/render.jsx"])
def test_test_files_by_jest_and_vitest_rules(path):
    assert is_test_file(path)
    assert pathspec.PathSpec.from_lines("gitwildmatch", TEST_FILE_GLOBS).match_file(path)


@pytest.mark.parametrize("path", ["sum.ts", "test.ts", "src/testing.js", "tests/sum.ts",
                                  "sum.test.py", "__tests__.ts", "src/sum.test.ts.snap"])
def test_other_files_are_not_test_files(path):
    assert not is_test_file(path)
    assert not pathspec.PathSpec.from_lines("gitwildmatch", TEST_FILE_GLOBS).match_file(path)


def test_top_definitions_name_what_each_statement_defines():
    source = (
        "export function add(a, b) { return a + b; }\n"
        "export default function () {}\n"
        "async function* ticks() {}\n"
        "export const twice = (n) => n * 2;\n"
        "let later = function () {};\n"
        "const Shape = class {};\n"
        "const limit = 10, other = () => 1;\n"  # two bindings: not one definition
        "export abstract class Base {}\n"
        "exports.legacy = function () {};\n"
        "module.exports.old = () => 0;\n"
        "interface Point { x: number }\n"
    )
    found = [(d.name, d.kind, d.export is not None) for d in top_definitions(parse("m.ts", source))]
    assert found == [("add", "function", True), ("default", "function", True),
                     ("ticks", "function", False), ("twice", "function", True),
                     ("later", "function", False), ("Shape", "class", False),
                     ("Base", "class", True), ("legacy", "function", False),
                     ("old", "function", False)]


def test_definitions_kept_whole_in_a_file_with_errors_are_found():
    source = "function broken( {\n  return 1\n}\nfunction kept() { return 2 }\n"
    parsed = parse("m.js", source)
    assert parsed.has_errors
    assert [d.name for d in top_definitions(parsed)] == ["kept"]
