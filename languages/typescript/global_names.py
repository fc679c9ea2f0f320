"""The global dotted name a TypeScript or JavaScript expression reaches: `process.exit` for
`process.exit`, `globalThis.process['exit']`, `const { exit } = process; exit` and
`import p from 'node:process'; p.exit`; None for the file's own names and for names computed at
run time. The cheat screen judges these names; this module only resolves them, from the tree.
"""

from __future__ import annotations

import tree_sitter

from microagent.languages.typescript.parsed import Parsed
from microagent.languages.typescript.scopes import Scopes, import_names

GLOBAL_OBJECTS = ("globalThis", "global", "window", "self")
IMPORTERS = frozenset({"require", "module.require", "process.getBuiltinModule"})
CHAINS = frozenset({"member_expression", "subscript_expression"})
# Wrappers that leave the value as it is: `(x)`, `x as any`, `x!`, `(0, x)`.
UNWRAP = frozenset({"parenthesized_expression", "as_expression", "non_null_expression",
                    "satisfies_expression", "type_assertion", "sequence_expression"})


class GlobalNames:
    """One file's aliases (local name -> dotted name), collected once, and the look-up."""

    def __init__(self, parsed: Parsed, scopes: Scopes) -> None:
        self.parsed, self.scopes = parsed, scopes
        self.aliases: dict[str, str] = {}
        self._collect_aliases()

    def dotted(self, node: tree_sitter.Node | None) -> str | None:
        """The global dotted name an expression reaches ("process.exit", "vi.mock"), through
        imports and aliases; None for the file's own names and computed ones."""
        if node is None:
            return None
        if node.type in UNWRAP:
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.dotted(inner[-1] if node.type == "sequence_expression" else inner[0]) \
                if inner else None
        if node.type in ("identifier", "shorthand_property_identifier"):
            name = self.parsed.text(node)
            if name in self.aliases:
                return self.aliases[name]
            return None if self.scopes.is_local(node) else name
        if node.type == "meta_property":
            return "import.meta"
        if node.type in CHAINS:
            base = self.dotted(node.child_by_field_name("object"))
            part = node.child_by_field_name("property") if node.type == "member_expression" \
                else node.child_by_field_name("index")
            name = self.parsed.text(part) if node.type == "member_expression" and part else \
                literal(self.parsed, part)
            return unglobal(f"{base}.{name}") if base and name is not None else None
        if node.type == "call_expression":  # require('vm').runInThisContext
            module = self.imported_by(node)
            return module.removeprefix("node:") if module and not relative(module) else None
        return None

    def imported_by(self, call: tree_sitter.Node) -> str | None:
        function = call.child_by_field_name("function")
        if function is not None and self.dotted(function) in IMPORTERS:
            return literal(self.parsed, first_argument(call))
        return None

    def _collect_aliases(self) -> None:
        """`import x from 'm'`, `const p = process`, `const { exit } = require('process')`: the
        local name -> the dotted name it stands for, anywhere in the file."""
        stack = [self.parsed.root, self.parsed.root]  # twice: `const e = p.exit` after `p`
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type == "import_statement":
                self._import_aliases(node)
            elif node.type == "variable_declarator":
                value = self.dotted(node.child_by_field_name("value"))
                if value is not None:
                    self._bind(node.child_by_field_name("name"), value)

    def _import_aliases(self, statement: tree_sitter.Node) -> None:
        module = literal(self.parsed, statement.child_by_field_name("source"))
        if not module or relative(module):
            return  # the project's own names are its own
        module = module.removeprefix("node:")
        specified = set()
        for spec in descendants(statement, "import_specifier"):
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            specified.add(self.parsed.text(alias or name))
            self.aliases[self.parsed.text(alias or name)] = f"{module}.{self.parsed.text(name)}"
        for local in import_names(self.parsed, statement):
            if local not in specified:  # the default or namespace import: the module itself
                self.aliases[local] = module

    def _bind(self, pattern: tree_sitter.Node | None, value: str) -> None:
        if pattern is None:
            return
        if pattern.type == "identifier":
            self.aliases[self.parsed.text(pattern)] = value
        elif pattern.type == "object_pattern":
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self.aliases[self.parsed.text(part)] = f"{value}.{self.parsed.text(part)}"
                elif part.type == "pair_pattern":
                    key = part.child_by_field_name("key")
                    self._bind(part.child_by_field_name("value"),
                               f"{value}.{literal(self.parsed, key) or self.parsed.text(key)}")


def literal(parsed: Parsed, node: tree_sitter.Node | None) -> str | None:
    """A string literal's text (also a template without substitutions, or `['x']`)."""
    if node is None:
        return None
    if node.type == "computed_property_name" and node.named_children:
        return literal(parsed, node.named_children[0])
    if node.type in ("string", "template_string") and all(
            c.type in ("string_fragment", "escape_sequence") for c in node.named_children):
        return "".join(parsed.text(c) if c.type == "string_fragment" else
                       _escape(parsed.text(c)) for c in node.named_children)
    return None


def _escape(sequence: str) -> str:
    try:
        return sequence.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeError:
        return sequence


def relative(module: str) -> bool:
    """A module of the project itself: `./calc`, `../lib/x` (not one reached in node_modules)."""
    return module.startswith(".") and "node_modules" not in module


def first_argument(call: tree_sitter.Node) -> tree_sitter.Node | None:
    """A call's first argument, or None."""
    arguments = call.child_by_field_name("arguments")
    named = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    return named[0] if named else None


def unglobal(dotted: str) -> str:
    """`globalThis.process.exit` is `process.exit`."""
    head, _, rest = dotted.partition(".")
    while head in GLOBAL_OBJECTS and rest:
        head, _, rest = rest.partition(".")
    return f"{head}.{rest}" if rest else head


def descendants(node: tree_sitter.Node, kind: str) -> list[tree_sitter.Node]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.extend([current] if current.type == kind else [])
        stack.extend(current.named_children)
    return found
