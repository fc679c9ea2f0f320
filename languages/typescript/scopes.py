"""Whether a name in a TypeScript or JavaScript file is the file's own (a variable, parameter,
import, function or class declared in a scope around it) or a global the file reaches: the cheat
screen refuses `test` the runner's global, never `const test = /x/.test(s)`.

Read from the tree alone, a little wider than the language: a `var` or nested function counts
for its whole function, and a name declared anywhere in a scope counts before its declaration
too. It never resolves what a name holds; that is the screen's job.
"""

from __future__ import annotations

import tree_sitter

from microagent.languages.typescript.parsed import Parsed

FUNCTIONS = frozenset({"function_declaration", "function_expression", "function",
                       "generator_function_declaration", "generator_function", "arrow_function",
                       "method_definition"})
BLOCKS = frozenset({"program", "statement_block", "switch_body"})
# A function expression's own name is bound inside it (a declaration's, around it; a method's
# name is a property).
_NAMED_INSIDE = frozenset({"function_expression", "function", "generator_function"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
_NAMED = frozenset({"function_declaration", "generator_function_declaration", "class_declaration",
                    "abstract_class_declaration", "enum_declaration", "internal_module", "module"})
# Statements whose declarations bind in the scope around them. Not `declare const x`: it binds
# nothing at run time, so `declare const process: any` leaves `process` the global.
_WRAPPERS = frozenset({"export_statement", "switch_case", "switch_default"})
_TYPES = frozenset({"type_annotation", "decorator", "accessibility_modifier", "comment"})


class Scopes:
    """The names each scope of one parsed file declares, computed once a scope."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self._names: dict[tuple[int, int, str], frozenset[str]] = {}

    def is_local(self, identifier: tree_sitter.Node) -> bool:
        """Whether the identifier names something declared in a scope around it."""
        name = self.parsed.text(identifier)
        scope = identifier.parent
        while scope is not None:
            if name in self.declared_in(scope):
                return True
            scope = scope.parent
        return False

    def declared_in(self, node: tree_sitter.Node) -> frozenset[str]:
        """The names `node` declares for the code inside it; empty for a node that is no scope."""
        key = (node.start_byte, node.end_byte, node.type)
        if key not in self._names:
            self._names[key] = frozenset(self._declared(node))
        return self._names[key]

    def _declared(self, node: tree_sitter.Node) -> list[str]:
        found: list[str] = []
        if node.type in FUNCTIONS:
            for field in ("parameters", "parameter", "name"):
                part = node.child_by_field_name(field)
                if part is not None and (field != "name" or node.type in _NAMED_INSIDE):
                    found.extend(bound_names(self.parsed, part))
            body = node.child_by_field_name("body")
            if body is not None:
                found.extend(self._hoisted(body))
        elif node.type in BLOCKS:
            for statement in node.named_children:
                found.extend(self._statement_names(statement))
            if node.type == "program":
                found.extend(self._hoisted(node))
        elif node.type in ("class", "class_declaration", "abstract_class_declaration"):
            name = node.child_by_field_name("name")
            found.extend([self.parsed.text(name)] if name is not None else [])
        elif node.type == "for_statement":
            found.extend(self._statement_names(node.child_by_field_name("initializer")))
        elif node.type == "for_in_statement":
            left = node.child_by_field_name("left")
            if left is not None and node.child_by_field_name("kind") is not None:
                found.extend(bound_names(self.parsed, left))
        elif node.type == "catch_clause":
            found.extend(bound_names(self.parsed, node.child_by_field_name("parameter")))
        return found

    def _statement_names(self, statement: tree_sitter.Node | None) -> list[str]:
        if statement is None:
            return []
        if statement.type in _DECLARATIONS:
            return [n for d in statement.named_children if d.type == "variable_declarator"
                    for n in bound_names(self.parsed, d.child_by_field_name("name"))]
        if statement.type in _NAMED:
            name = statement.child_by_field_name("name")
            return [self.parsed.text(name)] if name is not None else []
        if statement.type == "import_statement":
            return import_names(self.parsed, statement)
        if statement.type in _WRAPPERS:
            return [n for c in statement.named_children for n in self._statement_names(c)]
        return []

    def _hoisted(self, body: tree_sitter.Node) -> list[str]:
        """`var` declarations and function declarations anywhere in a function's body (not in
        its nested functions): JavaScript hoists them to the whole function."""
        found: list[str] = []
        stack = list(body.named_children)
        while stack:
            node = stack.pop()
            if node.type == "variable_declaration" or node.type in _NAMED - {"class_declaration"}:
                found.extend(self._statement_names(node))
            if node.type not in FUNCTIONS and node.type not in ("class", "class_declaration",
                                                                "ambient_declaration"):
                stack.extend(node.named_children)
        return found


def bound_names(parsed: Parsed, pattern: tree_sitter.Node | None) -> list[str]:
    """The names a binding pattern binds: `a`, `{ a, b: c, ...d }`, `[e = 1]`, `(f: T, g?)`;
    never a default value's names or a type's."""
    if pattern is None:
        return []
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return [parsed.text(pattern)]
    if pattern.type in ("required_parameter", "optional_parameter"):
        return bound_names(parsed, pattern.child_by_field_name("pattern"))
    if pattern.type == "pair_pattern":
        return bound_names(parsed, pattern.child_by_field_name("value"))
    if pattern.type in ("assignment_pattern", "object_assignment_pattern"):
        return bound_names(parsed, pattern.child_by_field_name("left"))
    if pattern.type in ("object_pattern", "array_pattern", "rest_pattern", "formal_parameters"):
        return [n for c in pattern.named_children if c.type not in _TYPES
                for n in bound_names(parsed, c)]
    return []


def import_names(parsed: Parsed, statement: tree_sitter.Node) -> list[str]:
    """The local names an import statement binds."""
    found: list[str] = []
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    for part in clause.named_children if clause is not None else ():
        if part.type == "identifier":
            found.append(parsed.text(part))
        elif part.type == "namespace_import":
            found.extend(parsed.text(c) for c in part.named_children if c.type == "identifier")
        elif part.type == "named_imports":
            for spec in part.named_children:
                local = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                if spec.type == "import_specifier" and local is not None:
                    found.append(parsed.text(local))
    return found
