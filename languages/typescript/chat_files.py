"""TypeScript and JavaScript workspaces made from a chat's code blocks (the HTTP API): which
block holds tests, which module the tests want, whether it must be written or repaired. Pure: it
only reads text, with tree-sitter (parsed.py).

Unnamed code goes to solution.ts and unnamed tests to solution.test.ts, side by side at the root:
Vitest's getting-started example keeps a module and its `<name>.test.<ext>` that way, with no
src/ folder and no configuration, and Vitest runs .ts as it is (plain JavaScript is TypeScript to
it: it strips types, it does not check them). solution.* mirrors Python's solution.py.
"""

from __future__ import annotations

import re

from microagent.languages.typescript.imports import WHOLE
from microagent.languages.typescript.outline import EXAMPLE_TAG, doc_comment, is_stub
from microagent.languages.typescript.parsed import Parsed, parse, top_definitions
from microagent.languages.typescript.parsed import is_test_file as holds_tests  # part of this interface
from microagent.languages.typescript.reach import Modules
from microagent.languages.typescript.suites import find_tests

default_module = "solution.ts"
default_tests = "solution.test.ts"
fences = frozenset({"ts", "typescript", "js", "javascript", "tsx", "jsx"})
# Words that start a line of code in an unlabelled block that does not parse.
CODE_WORDS = ("function ", "async function", "const ", "let ", "var ", "class ", "import ",
              "export ", "return", "if (", "for (", "while (", "describe(", "test(", "it(",
              "expect(", "module.exports", "interface ", "type ", "enum ")
TEST_CALL = re.compile(r"^\s*(?:describe|test|it)(?:\.\w+)*\s*\(", re.M)
# A lone word, number or string parses as an expression: a message of one word is no code.
BARE = frozenset({"identifier", "number", "string", "template_string", "true", "false", "null",
                  "undefined", "this"})


def read(text: str) -> Parsed:
    """The text as TypeScript, or as TSX where only that reads it without errors (JSX)."""
    parsed = parse("chat.ts", text)
    if parsed.has_errors:
        as_tsx = parse("chat.tsx", text)
        if not as_tsx.has_errors:
            return as_tsx
    return parsed


def is_code(text: str) -> bool:
    """Parses without errors as more than a bare word, number or string."""
    parsed = read(text)
    statements = [s for s in parsed.root.named_children if s.type != "comment"]
    return not parsed.has_errors and any(
        not (s.type == "expression_statement" and s.named_children
             and s.named_children[0].type in BARE) for s in statements)


def looks_like_code(text: str) -> bool:
    """Parses, or has a line that starts like code."""
    return not read(text).has_errors or any(
        line.lstrip().startswith(CODE_WORDS) for line in text.split("\n"))


def is_test_code(code: str) -> bool:
    """Jest or Vitest tests (`test(...)`, `it(...)`, in `describe` blocks or not) and no function
    or class definitions besides them."""
    parsed = read(code)
    if parsed.has_errors:
        return bool(TEST_CALL.search(code)) and not top_definitions(parsed)
    return bool(find_tests(parsed)) and not top_definitions(parsed)


def has_examples(source: str) -> bool:
    """A top-level function or class whose JSDoc has an `@example`."""
    parsed = read(source)
    return any(EXAMPLE_TAG in doc_comment(parsed, d.statement) for d in top_definitions(parsed))


def missing_modules(workspace: dict[str, str], test_files: list[str]) -> list[str]:
    """The workspace files the tests import (relative paths, tsconfig aliases) that it lacks,
    where each would be written."""
    modules = Modules(workspace, workspace.__getitem__)
    missing: list[str] = []
    for test in test_files:
        for imported in modules.facts(test).imports:
            if modules.resolve(imported.specifier, test) is None:
                path = modules.resolver.expected(imported.specifier, test)
                if path is not None and path not in missing:
                    missing.append(path)
    return missing


def module_for_tests(workspace: dict[str, str], test_files: list[str]) -> str:
    """The first workspace module the tests import that is not a test file; else the first
    they import that does not exist yet; else the default."""
    modules = Modules(workspace, workspace.__getitem__)
    for test in test_files:
        for imported in modules.facts(test).imports:
            path = modules.resolve(imported.specifier, test)
            if path is not None and not holds_tests(path):
                return path
    missing = missing_modules(workspace, test_files)
    return missing[0] if missing else default_module


def needs_writing(workspace: dict[str, str], module: str, test_files: list[str]) -> bool:
    """Whether code must be written, not repaired: the module is missing, lacks a name the
    tests import from it, or holds stubs."""
    if module not in workspace:
        return True
    modules = Modules(workspace, workspace.__getitem__)
    for test in test_files:
        for imported in modules.facts(test).imports:
            if modules.resolve(imported.specifier, test) != module:
                continue
            if any(there != WHOLE and modules.defining(module, there) is None
                   for _, there in imported.names):
                return True
    parsed = modules.parsed(module)
    return parsed is not None and any(d.kind == "function" and is_stub(parsed, d.node)
                                      for d in top_definitions(parsed))
