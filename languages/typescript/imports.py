"""What a TypeScript or JavaScript file takes from other modules and what it gives them: ESM
`import` and `export ... from`, CommonJS `require`, TypeScript's `import x = require()`; ESM
`export` and CommonJS `module.exports` / `exports.name`. Read from one parse (parsed.py); where
a file's exports cannot be known without running it (`module.exports = make()`), it says so
rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from microagent.languages.typescript.parsed import (CLASS_VALUES, FUNCTION_VALUES, VARIABLE_DECLARATIONS, Parsed,
                                                    definition_of, top_definitions)

DEFAULT = "default"  # the name of a default export, as JavaScript names it
WHOLE = "*"  # the module itself: `import * as m`, `const m = require()`


@dataclass(frozen=True)
class Import:
    """One statement that takes names from a module."""

    specifier: str  # as written: "./calc", "@/utils", "vitest"
    names: tuple[tuple[str, str], ...]  # (local name, its name there); WHOLE for the module itself
    statement: tree_sitter.Node
    reexport: bool = False  # `export { a } from`: the local name is the exported one
    star: bool = False  # `export * from`


@dataclass
class Facts:
    """A module's imports and exports."""

    imports: list[Import] = field(default_factory=list)
    exported: dict[str, str] = field(default_factory=dict)  # exported name -> local name
    stars: list[str] = field(default_factory=list)  # specifiers of `export * from`
    opaque: bool = False  # its exports cannot be read from the text

    def bound(self, local: str) -> tuple[Import, str] | None:
        """The import that binds `local`, and the name it has in its module."""
        for found in self.imports:
            for name, there in found.names:
                if name == local:
                    return found, there
        return None


def facts(parsed: Parsed) -> Facts:
    """The module's imports and exports, from its top-level statements."""
    found = Facts()
    for definition in top_definitions(parsed):
        if definition.export is not None:
            default = any(c.type == "default" for c in definition.statement.children)
            found.exported[DEFAULT if default else definition.name] = definition.name
        elif definition.statement.type == "expression_statement":  # exports.f = ...
            found.exported[definition.name] = definition.name
    for statement in parsed.root.named_children:
        if statement.type == "import_statement":
            _import(parsed, statement, found)
        elif statement.type == "export_statement":
            _export(parsed, statement, found)
        elif statement.type in VARIABLE_DECLARATIONS:
            _required(parsed, statement, found)
        elif statement.type == "expression_statement" and statement.named_children:
            _assigned(parsed, statement.named_children[0], found)
    return found


def specifier_of(parsed: Parsed, node: tree_sitter.Node | None) -> str | None:
    """The text of a string literal; None for anything else (a template, an expression)."""
    if node is None or node.type != "string":
        return None
    return "".join(parsed.text(c) for c in node.named_children)


def required(parsed: Parsed, value: tree_sitter.Node | None) -> str | None:
    """The specifier of `require("./x")`, or None."""
    if value is None or value.type != "call_expression":
        return None
    function, arguments = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if function is None or parsed.text(function) != "require" or arguments is None \
            or len(arguments.named_children) != 1:
        return None
    return specifier_of(parsed, arguments.named_children[0])


def _import(parsed: Parsed, statement: tree_sitter.Node, found: Facts) -> None:
    specifier = specifier_of(parsed, statement.child_by_field_name("source"))
    names: list[tuple[str, str]] = []
    for part in statement.named_children:
        if part.type == "import_require_clause":  # import x = require("./x")
            name = part.named_children[0] if part.named_children else None
            specifier = specifier_of(parsed, next((c for c in part.named_children if c.type == "string"), None))
            if name is not None:
                names.append((parsed.text(name), WHOLE))
        for piece in part.named_children if part.type == "import_clause" else ():
            if piece.type == "identifier":
                names.append((parsed.text(piece), DEFAULT))
            elif piece.type == "namespace_import" and piece.named_children:
                names.append((parsed.text(piece.named_children[-1]), WHOLE))
            elif piece.type == "named_imports":
                for spec in (s for s in piece.named_children if s.type == "import_specifier"):
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        names.append((parsed.text(alias or name), _unquoted(parsed, name)))
    if specifier is not None:
        found.imports.append(Import(specifier, tuple(names), statement))


def _export(parsed: Parsed, statement: tree_sitter.Node, found: Facts) -> None:
    specifier = specifier_of(parsed, statement.child_by_field_name("source"))
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    names: list[tuple[str, str]] = []
    for spec in (s for s in clause.named_children if s.type == "export_specifier") if clause else ():
        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
        if name is not None:
            exported = _unquoted(parsed, alias or name)
            if specifier is None:
                found.exported[exported] = _unquoted(parsed, name)
            else:
                names.append((exported, _unquoted(parsed, name)))
    namespace = next((c for c in statement.named_children if c.type == "namespace_export"), None)
    if namespace is not None and specifier is not None and namespace.named_children:
        names.append((parsed.text(namespace.named_children[-1]), WHOLE))
    if specifier is not None:
        star = clause is None and namespace is None
        found.imports.append(Import(specifier, tuple(names), statement, reexport=True, star=star))
        found.exported.update((name, name) for name, _ in names)
        if star:
            found.stars.append(specifier)
        return
    value = statement.child_by_field_name("value")
    if value is not None and definition_of(parsed, statement) is None:  # export default add
        found.exported[DEFAULT] = parsed.text(value) if value.type == "identifier" else DEFAULT
    declaration = statement.child_by_field_name("declaration")
    if declaration is not None and definition_of(parsed, statement) is None:
        for name in _declared(parsed, declaration):  # export const x = 1, enum E, interface I
            found.exported[name] = name


def _declared(parsed: Parsed, declaration: tree_sitter.Node) -> list[str]:
    if declaration.type in VARIABLE_DECLARATIONS:
        return [parsed.text(n) for d in declaration.named_children if d.type == "variable_declarator"
                if (n := d.child_by_field_name("name")) is not None and n.type == "identifier"]
    name = declaration.child_by_field_name("name")
    return [parsed.text(name)] if name is not None else []


def _required(parsed: Parsed, statement: tree_sitter.Node, found: Facts) -> None:
    """`const m = require("./m")`, `const { a, b: c } = require("./m")`."""
    for declarator in (c for c in statement.named_children if c.type == "variable_declarator"):
        specifier = required(parsed, declarator.child_by_field_name("value"))
        pattern = declarator.child_by_field_name("name")
        if specifier is None or pattern is None:
            continue
        names: list[tuple[str, str]] = []
        if pattern.type == "identifier":
            names.append((parsed.text(pattern), WHOLE))
        elif pattern.type == "object_pattern":
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    names.append((parsed.text(part), parsed.text(part)))
                elif part.type == "pair_pattern":
                    key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if key is not None and value is not None and value.type == "identifier":
                        names.append((parsed.text(value), _unquoted(parsed, key)))
        found.imports.append(Import(specifier, tuple(names), statement))


def _assigned(parsed: Parsed, expression: tree_sitter.Node, found: Facts) -> None:
    """`module.exports = {...}` or `= name`; a bare `require("./setup")`."""
    specifier = required(parsed, expression)
    if specifier is not None:
        found.imports.append(Import(specifier, (), expression))
        return
    if expression.type != "assignment_expression":
        return
    target, value = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    if target is None or value is None or parsed.text(target) != "module.exports":
        return
    if value.type == "object":
        for part in value.named_children:
            if part.type == "shorthand_property_identifier":
                found.exported[parsed.text(part)] = parsed.text(part)
            elif part.type in ("pair", "method_definition"):
                key = part.child_by_field_name("key") or part.child_by_field_name("name")
                local = part.child_by_field_name("value")
                if key is not None:
                    name = _unquoted(parsed, key)
                    found.exported[name] = parsed.text(local) if local is not None \
                        and local.type == "identifier" else name
            else:
                found.opaque = True  # ...spread
    elif value.type == "identifier":
        found.exported[DEFAULT] = parsed.text(value)
    elif value.type in FUNCTION_VALUES | CLASS_VALUES:  # module.exports = function add() {}
        name = value.child_by_field_name("name")
        found.exported[DEFAULT] = parsed.text(name) if name is not None else DEFAULT
    elif (specifier := required(parsed, value)) is not None:  # module.exports = require("./x")
        found.imports.append(Import(specifier, (), expression, reexport=True, star=True))
        found.stars.append(specifier)
    else:
        found.opaque = True
        found.exported.setdefault(DEFAULT, DEFAULT)


def _unquoted(parsed: Parsed, node: tree_sitter.Node) -> str:
    return specifier_of(parsed, node) if node.type == "string" else parsed.text(node)
