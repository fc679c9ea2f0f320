"""A TypeScript or JavaScript document's outline (`languages.language.Outline`): its functions,
methods and tests with their line ranges, which are stubs, and the names a test file imports
from the workspace.

Pure and cheap: one parse (languages/typescript/parsed.py) of text already in memory; it never
reads the disk. A file with syntax errors is outlined as far as tree-sitter recovered it, and
marked `parsed=False`.
"""

from __future__ import annotations

import tree_sitter

from microagent.languages.language import Function, Outline
from microagent.languages.typescript.parsed import (Definition, Parsed, definition_of, methods, parse,
                                                    top_definitions, with_decorators)
from microagent.languages.typescript.suites import find_tests
from microagent.languages.typescript.test_files import is_test_file

# Words in a thrown message that mark a body as not written yet: "Not implemented", "TODO".
STUB_WORDS = ("implement", "todo")
EXAMPLE_TAG = "@example"  # JSDoc's examples: what Python's docstring `>>>` lines are


def outline(path: str, text: str) -> Outline:
    """Top-level functions (`function`, `const f = () =>`, `exports.f =`), class methods as
    "Class::method", the functions nested directly in either, and in a test file its tests
    (named by title, with the node path of `suites.FoundTest`)."""
    test_file = is_test_file(path)  # tests, or test support: set-up files, mocks, helpers
    parsed = parse(path, text)
    functions: list[Function] = []
    for definition in top_definitions(parsed):
        if definition.kind == "class":
            _methods(parsed, definition, functions)
        else:
            _function(parsed, definition.name, definition.name, definition.name,
                      definition.statement, definition.node, (), functions)
    names: frozenset[str] = frozenset()
    if test_file:
        for test in find_tests(parsed):
            functions.append(Function(
                name=test.titles[-1], node_path=test.node_path, top_level=test.titles[0],
                start=test.statement.start_point.row, end=test.statement.end_point.row,
                is_test=True, is_stub=test.callback is None or is_stub(parsed, test.callback),
                has_examples=False))
        names = frozenset(imported_names(parsed))
    functions.sort(key=lambda f: (f.start, -f.end))
    return Outline(path, test_file, not parsed.has_errors, tuple(functions), names)


def is_stub(parsed: Parsed, function: tree_sitter.Node) -> bool:
    """A function whose body is empty (comments aside) or only throws a not-written-yet error:
    `throw new Error("not implemented")`, `throw new NotImplementedError()`, `throw "TODO"`.
    As in Python, where a stub raises NotImplementedError: a body that throws another error
    (`throw new Error(message)`) is a real function."""
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return False  # `() => value` is written
    return all(_not_written(parsed, s) for s in body.named_children if s.type != "comment")


def doc_comment(parsed: Parsed, statement: tree_sitter.Node) -> str:
    """The JSDoc comment (`/** ... */`) right above a definition or class member, decorators
    aside; "" when there is none."""
    first = with_decorators(statement)
    above = first.prev_sibling
    if above is None or above.type != "comment" or above.end_point.row < first.start_point.row - 1:
        return ""
    text = parsed.text(above)
    return text if text.startswith("/**") else ""


def imported_names(parsed: Parsed) -> set[str]:
    """The names a file takes from the workspace's own (relative) modules: named imports by
    their exported name; default imports and `const m = require("./m")` by their local name (the
    module's one function, often) and the members read from them (`m.sum`); `import * as m` by
    the members read from it."""
    names: set[str] = set()
    modules: set[str] = set()  # local names that stand for a whole module
    for statement in parsed.root.named_children:
        if statement.type == "import_statement":
            source = statement.child_by_field_name("source")
            if source is None or not _relative(parsed, source):
                continue
            for clause in (c for c in statement.named_children if c.type == "import_clause"):
                for part in clause.named_children:
                    if part.type == "identifier":
                        names.add(parsed.text(part))
                        modules.add(parsed.text(part))
                    elif part.type == "namespace_import" and part.named_children:
                        modules.add(parsed.text(part.named_children[0]))
                    elif part.type == "named_imports":
                        names.update(parsed.text(s.child_by_field_name("name"))
                                     for s in part.named_children if s.type == "import_specifier")
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in (c for c in statement.named_children if c.type == "variable_declarator"):
                if _required_relative(parsed, declarator.child_by_field_name("value")):
                    _bound_names(parsed, declarator.child_by_field_name("name"), names, modules)
    if modules:
        names |= _members_read(parsed, modules)
    return names


def _methods(parsed: Parsed, definition: Definition, out: list[Function]) -> None:
    for method in methods(parsed, definition.node):
        _function(parsed, method.name, f"{definition.name}::{method.name}", definition.name,
                  method.member, method.function, (definition.name,), out)


def _function(parsed: Parsed, name: str, node_path: str, top_level: str, statement: tree_sitter.Node,
              function: tree_sitter.Node, classes: tuple[str, ...], out: list[Function]) -> None:
    out.append(Function(name=name, node_path=node_path, top_level=top_level,
                        start=with_decorators(statement).start_point.row, end=statement.end_point.row,
                        is_test=False, is_stub=is_stub(parsed, function),
                        has_examples=EXAMPLE_TAG in doc_comment(parsed, statement)))
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return
    for child in body.named_children:  # nested functions are functions too, for review
        nested = definition_of(parsed, child)
        if nested is not None and nested.kind == "function" and child.type != "expression_statement":
            _function(parsed, nested.name, "::".join(classes + (nested.name,)), top_level,
                      child, nested.node, classes, out)


def _not_written(parsed: Parsed, statement: tree_sitter.Node) -> bool:
    if statement.type == "empty_statement":
        return True
    if statement.type != "throw_statement" or not statement.named_children:
        return False
    thrown = statement.named_children[0]
    if thrown.type in ("string", "template_string"):
        return _says_stub(parsed.text(thrown))
    if thrown.type not in ("new_expression", "call_expression"):
        return False
    maker = thrown.child_by_field_name("constructor") or thrown.child_by_field_name("function")
    if maker is not None and "notimplemented" in parsed.text(maker).lower():
        return True
    arguments = thrown.child_by_field_name("arguments")
    message = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return message is not None and message.type in ("string", "template_string") \
        and _says_stub(parsed.text(message))


def _says_stub(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in STUB_WORDS)


def _relative(parsed: Parsed, source: tree_sitter.Node) -> bool:
    module = parsed.text(source).strip("'\"`")
    return module.startswith(("./", "../")) or module in (".", "..")


def _required_relative(parsed: Parsed, value: tree_sitter.Node | None) -> bool:
    """`require("./sum")`."""
    if value is None or value.type != "call_expression":
        return False
    function, arguments = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    return function is not None and parsed.text(function) == "require" and arguments is not None \
        and len(arguments.named_children) == 1 and arguments.named_children[0].type == "string" \
        and _relative(parsed, arguments.named_children[0])


def _bound_names(parsed: Parsed, pattern: tree_sitter.Node | None, names: set[str], modules: set[str]) -> None:
    if pattern is None:
        return
    if pattern.type == "identifier":
        names.add(parsed.text(pattern))
        modules.add(parsed.text(pattern))
    elif pattern.type == "object_pattern":
        for part in pattern.named_children:
            if part.type == "shorthand_property_identifier_pattern":
                names.add(parsed.text(part))
            elif part.type == "pair_pattern" and part.child_by_field_name("key") is not None:
                names.add(parsed.text(part.child_by_field_name("key")))


def _members_read(parsed: Parsed, modules: set[str]) -> set[str]:
    """`sum` of every `m.sum` where `m` names a whole module."""
    found: set[str] = set()
    stack = [parsed.root]
    while stack:
        node = stack.pop()
        if node.type == "member_expression":
            owner, member = node.child_by_field_name("object"), node.child_by_field_name("property")
            if owner is not None and member is not None and owner.type == "identifier" \
                    and parsed.text(owner) in modules:
                found.add(parsed.text(member))
        stack.extend(node.named_children)
    return found
