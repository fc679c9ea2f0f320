"""A workspace's TypeScript and JavaScript files as modules that reach one another: each file
parsed once, its imports resolved, an exported name followed through re-exports (`export *
from`, an index.ts that gathers a folder) to the file and definition that holds it, and the
names a definition takes from other modules.

Reads the texts it is given, never the disk; a file that does not parse is read as far as
tree-sitter recovered it.
"""

from __future__ import annotations

import functools
from typing import Callable, Collection

import tree_sitter

from microagent.languages.typescript.imports import DEFAULT, WHOLE, Facts, facts
from microagent.languages.typescript.outline import is_stub
from microagent.languages.typescript.parsed import (Definition, Parsed, grammar_for, methods, parse,
                                                    top_definitions)
from microagent.languages.typescript.resolve import TSCONFIG, Resolver

RE_EXPORT_DEPTH = 4  # index.ts -> feature/index.ts -> feature/sum.ts is two


class Modules:
    """The workspace's modules: `paths` are its files (relative), `read` a file's text."""

    def __init__(self, paths: Collection[str], read: Callable[[str], str]):
        self.paths = paths
        self._read = read
        self.resolver = Resolver.of(paths, read(TSCONFIG) if TSCONFIG in paths else None)
        self.parsed = functools.cache(self._parse)
        self.facts = functools.cache(self._facts)

    def _parse(self, path: str) -> Parsed | None:
        """The file's tree; None for a file the workspace lacks or no grammar reads."""
        if path not in self.paths or grammar_for(path) is None:
            return None
        return parse(path, self._read(path))

    def _facts(self, path: str) -> Facts:
        parsed = self.parsed(path)
        return facts(parsed) if parsed is not None else Facts()

    def definitions(self, path: str) -> dict[str, Definition]:
        """The file's top-level definitions by name (the last of a name, the one in force)."""
        parsed = self.parsed(path)
        return {d.name: d for d in top_definitions(parsed)} if parsed is not None else {}

    def resolve(self, specifier: str, importer: str) -> str | None:
        return self.resolver.resolve(specifier, importer)

    def defining(self, path: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """(file, local name) where the module at `path` gets its export `name` from: its own
        definition, or one it re-exports. `path` itself where its exports cannot be read. None
        where it does not export `name` (or the file does not exist)."""
        if path not in self.paths or depth > RE_EXPORT_DEPTH:
            return None
        found = self.facts(path)
        local = found.exported.get(name)
        if local is not None:
            bound = found.bound(local)
            if bound is not None and local not in self.definitions(path):
                imported, there = bound
                target = self.resolve(imported.specifier, path)
                if target is not None and there != WHOLE:
                    return self.defining(target, there, depth + 1) or (path, local)
            return path, local
        if name != DEFAULT:
            for specifier in found.stars:
                target = self.resolve(specifier, path)
                hit = self.defining(target, name, depth + 1) if target is not None else None
                if hit is not None:
                    return hit
        return (path, name) if found.opaque else None

    def is_stub(self, path: str, local: str) -> bool:
        """Whether the definition `local` of `path` is a function not written yet, or a class
        whose methods all are."""
        parsed = self.parsed(path)
        definition = self.definitions(path).get(local)
        if parsed is None or definition is None:
            return False
        if definition.kind == "function":
            return is_stub(parsed, definition.node)
        found = methods(parsed, definition.node)
        return bool(found) and all(is_stub(parsed, m.function) for m in found)

    def callees(self, path: str, locals_: Collection[str]) -> dict[str, set[str]]:
        """Definitions in other workspace modules that the definitions `locals_` of `path` use
        through the file's imports: file -> local names there."""
        parsed = self.parsed(path)
        if parsed is None:
            return {}
        definitions = self.definitions(path)
        nodes = [definitions[n].node for n in locals_ if n in definitions]
        found: dict[str, set[str]] = {}
        for local, there in names_taken(parsed, self.facts(path), nodes):
            bound = self.facts(path).bound(local)
            target = self.resolve(bound[0].specifier, path) if bound is not None else None
            hit = self.defining(target, there) if target is not None else None
            if hit is not None:
                found.setdefault(hit[0], set()).add(hit[1])
        return found


def names_taken(parsed: Parsed, found: Facts, nodes: list[tree_sitter.Node]) -> list[tuple[str, str]]:
    """(local name, its name in its module) for each imported name `nodes` use: a named import
    by name; a whole module (`import * as m`, `const m = require()`) by the members read from it
    (`m.sum` -> sum), and called itself (`m()`), as its default."""
    used = referenced(parsed, nodes)
    taken: list[tuple[str, str]] = []
    for imported in found.imports:
        if imported.reexport:
            continue
        for local, there in imported.names:
            if local not in used:
                continue
            if there != WHOLE:
                taken.append((local, there))
                continue
            taken += [(local, m) for m in sorted(members_read(parsed, nodes, local))]
            if called(parsed, nodes, local):
                taken.append((local, DEFAULT))
    return list(dict.fromkeys(taken))


def referenced(parsed: Parsed, nodes: list[tree_sitter.Node]) -> set[str]:
    """Every identifier (values and types) inside `nodes`."""
    return {parsed.text(n) for n in _walk(nodes) if n.type in ("identifier", "type_identifier",
                                                                "shorthand_property_identifier")}


def members_read(parsed: Parsed, nodes: list[tree_sitter.Node], owner: str) -> set[str]:
    """`sum` of every `owner.sum` inside `nodes`."""
    found = set()
    for node in _walk(nodes):
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None and obj.type == "identifier" \
                    and parsed.text(obj) == owner:
                found.add(parsed.text(prop))
    return found


def called(parsed: Parsed, nodes: list[tree_sitter.Node], name: str) -> bool:
    """Whether `name(...)` or `new name(...)` is inside `nodes`."""
    for node in _walk(nodes):
        if node.type in ("call_expression", "new_expression"):
            callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
            if callee is not None and callee.type == "identifier" and parsed.text(callee) == name:
                return True
    return False


def enclosing(parsed: Parsed, line: int) -> str | None:
    """The top-level definition holding the 1-based `line`."""
    for definition in top_definitions(parsed):
        if definition.statement.start_point.row + 1 <= line <= definition.statement.end_point.row + 1:
            return definition.name
    return None


def _walk(nodes: list[tree_sitter.Node]):
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.named_children)
