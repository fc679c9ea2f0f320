"""One parse of a TypeScript or JavaScript file with tree-sitter, shared by everything that reads
such source: the grammar a file's suffix asks for, the tree and the bytes it indexes, the file's
top-level definitions, whether the text has errors, what makes a file a test file.

Pure and in memory: it never reads the disk. Trees are shared between callers, so nobody may
edit one. Tree-sitter counts in bytes of UTF-8 and rows of "\n"; `Parsed.text` turns a node back
into str, so callers never slice a str with a byte offset.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import PurePosixPath

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

# The JavaScript grammar parses JSX too; TypeScript needs its own grammar for .tsx, since
# `<T>x` is a type assertion in .ts and an element in .tsx.
GRAMMAR_OF_SUFFIX = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
                     ".tsx": "tsx",
                     ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript",
                     ".cjs": "javascript"}
SUFFIXES = tuple(GRAMMAR_OF_SUFFIX)
_LANGUAGES = {"typescript": tree_sitter_typescript.language_typescript,
              "tsx": tree_sitter_typescript.language_tsx,
              "javascript": tree_sitter_javascript.language}

# Jest's and Vitest's default rules: *.test.* and *.spec.* files, and every file under a
# __tests__ folder. TEST_FILE_GLOBS says the same for LSP file watchers, without brace groups,
# which not every client's glob matcher knows.
TEST_FILE_GLOBS = tuple([f"**/*.{kind}{suffix}" for kind in ("test", "spec") for suffix in SUFFIXES]
                        + [f"**/__tests__/**/*{suffix}" for suffix in SUFFIXES])

# Values that make a `const`/`let`/`var` binding a definition: functions and classes.
FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "generator_function"})
CLASS_VALUES = frozenset({"class"})
FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
CLASS_DECLARATIONS = frozenset({"class_declaration", "abstract_class_declaration"})
VARIABLE_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
METHODS = frozenset({"method_definition"})
FIELDS = frozenset({"public_field_definition", "field_definition"})  # TypeScript's, JavaScript's


@dataclass(frozen=True)
class Parsed:
    """A file's tree and the UTF-8 bytes its offsets count."""

    source: bytes
    tree: tree_sitter.Tree

    @property
    def root(self) -> tree_sitter.Node:
        return self.tree.root_node

    @property
    def has_errors(self) -> bool:
        """Whether the text has syntax errors: ERROR nodes, or tokens the parser had to invent."""
        return has_errors(self.tree)

    def text(self, node: tree_sitter.Node) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Definition:
    """A top-level function, class, or function or class bound to a name, as written."""

    name: str  # "default" for an anonymous default export, as JavaScript names it
    kind: str  # "function" or "class"
    statement: tree_sitter.Node  # the whole statement: `export` and decorators included
    node: tree_sitter.Node  # the function or class itself
    export: tree_sitter.Node | None  # the `export` keyword, when the statement has one


@dataclass(frozen=True)
class Method:
    """A method of a class, or a field bound to a function (`reset = () => {...}`)."""

    name: str
    member: tree_sitter.Node  # the class member, decorators aside
    function: tree_sitter.Node  # the method itself, or the field's value


def grammar_for(path: str) -> str | None:
    """"typescript", "tsx" or "javascript" for the file's suffix; None for other files."""
    return GRAMMAR_OF_SUFFIX.get(PurePosixPath(path).suffix.lower())


def parse(path: str, text: str) -> Parsed:
    """The file's tree by its suffix (ValueError for a suffix no grammar reads). Shared: never
    edit it."""
    grammar = grammar_for(path)
    if grammar is None:
        raise ValueError(f"{path}: not a TypeScript or JavaScript file ({', '.join(SUFFIXES)})")
    return _parse(grammar, text)


def has_errors(tree: tree_sitter.Tree) -> bool:
    """Whether a tree holds ERROR nodes or missing (invented) tokens."""
    return tree.root_node.has_error


def is_test_file(path: str) -> bool:
    """A test file by Jest's and Vitest's default rules (workspace-relative, with /)."""
    pure = PurePosixPath(path)
    if pure.suffix.lower() not in GRAMMAR_OF_SUFFIX:
        return False
    kind = PurePosixPath(pure.stem).suffix  # ".test" of sum.test.ts
    return kind in (".test", ".spec") or "__tests__" in pure.parts[:-1]


def top_definitions(parsed: Parsed) -> list[Definition]:
    """The file's top-level definitions in order. Where the text has errors, also those
    tree-sitter kept whole inside the ERROR nodes at the top."""
    found: list[Definition] = []
    for statement in parsed.root.named_children:
        if statement.type == "ERROR":
            found.extend(d for child in statement.named_children
                         if (d := definition_of(parsed, child)) and d.name != "default")
        elif (definition := definition_of(parsed, statement)) is not None:
            found.append(definition)
    return found


def definition_of(parsed: Parsed, statement: tree_sitter.Node) -> Definition | None:
    """The definition a statement makes, or None: `function f`, `class C`, `const f = () =>`
    (one binding), `exports.f = function`, each also behind `export` or `export default`."""
    export = None
    inner = statement
    if statement.type == "export_statement":
        export = next((c for c in statement.children if c.type == "export"), None)
        inner = statement.child_by_field_name("declaration") or statement.child_by_field_name("value")
        if inner is None:
            return None
        default = any(c.type == "default" for c in statement.children)
        if default and inner.type in FUNCTION_VALUES | CLASS_VALUES:
            name = inner.child_by_field_name("name")
            kind = "class" if inner.type in CLASS_VALUES else "function"
            return Definition(parsed.text(name) if name else "default", kind, statement, inner, export)
    if inner.type in FUNCTION_DECLARATIONS | CLASS_DECLARATIONS or (
            inner.type in FUNCTION_VALUES and statement.type == "function_expression"):
        name = inner.child_by_field_name("name")
        if name is None:
            return None
        kind = "class" if inner.type in CLASS_DECLARATIONS else "function"
        return Definition(parsed.text(name), kind, statement, inner, export)
    if inner.type in VARIABLE_DECLARATIONS:
        declarators = [c for c in inner.named_children if c.type == "variable_declarator"]
        if len(declarators) != 1:
            return None  # `const a = () => 1, b = 2` cannot be replaced one binding at a time
        return _bound(parsed, declarators[0].child_by_field_name("name"),
                      declarators[0].child_by_field_name("value"), statement, export)
    if inner.type == "expression_statement" and export is None:
        assignment = inner.named_children[0] if inner.named_children else None
        if assignment is not None and assignment.type == "assignment_expression":
            target = assignment.child_by_field_name("left")
            if target is not None and _is_commonjs_export(parsed, target):
                return _bound(parsed, target.child_by_field_name("property"),
                              assignment.child_by_field_name("right"), statement, None)
    return None


def methods(parsed: Parsed, cls: tree_sitter.Node) -> list[Method]:
    """A class's methods and function-valued fields, in order."""
    found: list[Method] = []
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else ():
        function = member if member.type in METHODS else \
            member.child_by_field_name("value") if member.type in FIELDS else None
        name = member.child_by_field_name("name") or member.child_by_field_name("property")
        if function is not None and name is not None and function.type in FUNCTION_VALUES | METHODS:
            found.append(Method(parsed.text(name), member, function))
    return found


def with_decorators(node: tree_sitter.Node) -> tree_sitter.Node:
    """The first decorator of a class member, or the member: a TypeScript member's decorators
    are its siblings (a JavaScript member's, like a statement's, are its children)."""
    first = node
    while first.prev_named_sibling is not None and first.prev_named_sibling.type == "decorator":
        first = first.prev_named_sibling
    return first


def _bound(parsed: Parsed, name: tree_sitter.Node | None, value: tree_sitter.Node | None,
           statement: tree_sitter.Node, export: tree_sitter.Node | None) -> Definition | None:
    if name is None or value is None or name.type not in ("identifier", "property_identifier"):
        return None
    if value.type in FUNCTION_VALUES:
        return Definition(parsed.text(name), "function", statement, value, export)
    if value.type in CLASS_VALUES:
        return Definition(parsed.text(name), "class", statement, value, export)
    return None


def _is_commonjs_export(parsed: Parsed, target: tree_sitter.Node) -> bool:
    """`exports.f` or `module.exports.f`."""
    if target.type != "member_expression":
        return False
    owner = target.child_by_field_name("object")
    return owner is not None and parsed.text(owner) in ("exports", "module.exports")


@functools.lru_cache(maxsize=64)
def _parse(grammar: str, text: str) -> Parsed:
    source = text.encode("utf-8", "surrogatepass")
    return Parsed(source, _parser(grammar).parse(source))


@functools.cache
def _language(grammar: str) -> tree_sitter.Language:
    return tree_sitter.Language(_LANGUAGES[grammar]())


_local = threading.local()


def _parser(grammar: str) -> tree_sitter.Parser:
    """A parser for this thread: a Parser keeps state while it parses, so threads never share
    one (the language server's own thread and its agent thread may both parse)."""
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    if grammar not in parsers:
        parsers[grammar] = tree_sitter.Parser(_language(grammar))
    return parsers[grammar]
