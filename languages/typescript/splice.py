"""Replaces one definition of a TypeScript or JavaScript file by model-written text, by the
tree-sitter positions of both: a top-level function, class, `const f = () =>` or `exports.f =`,
or one method of a class.

Every byte outside the replaced definition stays as it was; its decorators go with it, as in
Python's splice (languages/python/splice.py), and its `export` stays. It never returns a file with syntax
errors, and never applies an answer it does not fully understand: text that holds more than the
one definition asked for, or a definition of another name, gives None.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import tree_sitter

from microagent.languages.typescript.parsed import (Definition, Parsed, definition_of, methods, parse,
                                                    top_definitions, with_decorators)

# A bare method parses only inside a class: the answer is read inside this one.
WRAPPER = "class __Answer {\n%s\n}\n"
SKIPPED = frozenset({"comment", "empty_statement"})


@dataclass(frozen=True)
class _Span:
    """A definition in a parsed text: where it starts (decorators included), where it ends, and
    where its `export` or `export default` prefix is (empty when it has none)."""

    parsed: Parsed
    first: tree_sitter.Node  # its first decorator, or itself
    node: tree_sitter.Node  # the statement, or the class member
    keyword: int  # the prefix's first byte; with no prefix, where one would go
    after_prefix: int

    @property
    def start(self) -> int:
        return self.first.start_byte

    @property
    def end(self) -> int:
        return self.node.end_byte

    @property
    def prefix(self) -> bytes:
        return self.parsed.source[self.keyword:self.after_prefix]


def definitions(source: str, *, path: str) -> list[str]:
    """The names of the file's top-level functions and classes (those bound to a `const` or to
    `exports.name` too), in order, each once. The file's suffix picks the grammar."""
    names: list[str] = []
    for definition in top_definitions(parse(path, source)):
        if definition.name not in names:
            names.append(definition.name)
    return names


def replace_definition(source: str, name: str, new_text: str, *, path: str) -> str | None:
    """`source` with the definition `name` ("sum", "Calc", or a method: "Calc.add" or
    "Calc::add") replaced by `new_text`, which must hold that one definition and nothing more
    (comments aside). The old definition's `export` or `export default` is kept whatever the new
    text says; the comments right above the old definition are replaced only when the new text
    brings its own. The new text is re-indented to the old definition's place and written with
    the file's line endings. None when `name` is not found in either text or the result has
    syntax errors. The file's suffix picks the grammar."""
    owner, _, method = name.replace("::", ".").partition(".")
    text = new_text.replace("\r\n", "\n").replace("\r", "\n")
    parsed = parse(path, source)
    if method:
        new = _new_method(path, text, owner, method)
        old = _method_in(parsed, owner, method, _accessor(new.node)) if new is not None else None
    else:
        old, new = _definition_in(parsed, name), _new_definition(path, text, name)
    if old is None or new is None:
        return None
    new_start = _comments_above(new.first)
    start = _comments_above(old.first) if new_start < new.start else old.start
    source_bytes = parsed.source
    prefix = old.prefix if old.prefix else new.prefix
    piece = (new.parsed.source[new_start:new.keyword] + prefix
             + new.parsed.source[new.after_prefix:new.end])
    piece = _reindent(piece, new, new_start, _indent(source_bytes, start))
    if b"\r\n" in source_bytes:
        piece = piece.replace(b"\n", b"\r\n")
    result = (source_bytes[:start] + piece + source_bytes[old.end:]).decode("utf-8", "surrogatepass")
    again = parse(path, result)
    if again.has_errors:
        return None
    found = _method_in(again, owner, method) if method else _definition_in(again, name)
    return result if found is not None else None


def _definition_in(parsed: Parsed, name: str) -> _Span | None:
    """The last top-level definition of `name` (the one in force, as in Python)."""
    found = next((d for d in reversed(top_definitions(parsed)) if d.name == name), None)
    return _definition_span(parsed, found) if found is not None else None


def _new_definition(path: str, text: str, name: str) -> _Span | None:
    parsed = parse(path, text)
    statements = [c for c in parsed.root.named_children if c.type not in SKIPPED]
    if parsed.has_errors or len(statements) != 1:
        return None
    found = definition_of(parsed, statements[0])
    return _definition_span(parsed, found) if found is not None and found.name == name else None


def _definition_span(parsed: Parsed, definition: Definition) -> _Span:
    statement = definition.statement
    if definition.export is not None:
        inner = statement.child_by_field_name("declaration") or statement.child_by_field_name("value")
        return _Span(parsed, statement, statement, definition.export.start_byte,
                     inner.start_byte if inner is not None else definition.export.end_byte)
    keyword = next((c.start_byte for c in statement.children if c.type not in ("decorator", "comment")),
                   statement.start_byte)
    return _Span(parsed, statement, statement, keyword, keyword)


def _method_in(parsed: Parsed, owner: str, method: str, accessor: str = "") -> _Span | None:
    """The method (or function-valued field) `method` of the last top-level class `owner`; of a
    getter and a setter of one name, the one of the kind asked for."""
    cls = next((d for d in reversed(top_definitions(parsed)) if d.name == owner and d.kind == "class"), None)
    if cls is None:
        return None
    members = [m.member for m in methods(parsed, cls.node) if m.name == method]
    chosen = next((m for m in reversed(members) if _accessor(m) == accessor), members[-1] if members else None)
    return _member_span(parsed, chosen) if chosen is not None else None


def _new_method(path: str, text: str, owner: str, method: str) -> _Span | None:
    """The answer's method: written bare (`add(a, b) { ... }`), or alone in its class."""
    wrapped = parse(path, WRAPPER % text)
    statements = [c for c in wrapped.root.named_children if c.type not in SKIPPED]
    if not wrapped.has_errors:  # and not `m() {}\n}\nfunction more() {}\nclass X {`
        return _only_member(wrapped, statements[0], method) if len(statements) == 1 else None
    whole = _new_definition(path, text, owner)
    cls = definition_of(whole.parsed, whole.node) if whole is not None else None
    return _only_member(whole.parsed, cls.node, method) if cls is not None and cls.kind == "class" else None


def _only_member(parsed: Parsed, cls: tree_sitter.Node, method: str) -> _Span | None:
    """The class's one member, when it is the method `method` (comments and decorators aside)."""
    body = cls.child_by_field_name("body")
    others = [c for c in body.named_children if c.type not in SKIPPED | {"decorator"}] if body else []
    found = methods(parsed, cls)
    if len(found) == 1 == len(others) and found[0].name == method:
        return _member_span(parsed, found[0].member)
    return None


def _accessor(member: tree_sitter.Node) -> str:
    return next((c.type for c in member.children if c.type in ("get", "set")), "")


def _member_span(parsed: Parsed, member: tree_sitter.Node) -> _Span:
    return _Span(parsed, with_decorators(member), member, member.start_byte, member.start_byte)


def _comments_above(first: tree_sitter.Node) -> int:
    """Where the comments right above a definition start (no blank line between, and not
    trailing code on their first line); the definition's start when there are none."""
    start = first
    above = first.prev_sibling
    while above is not None and above.type == "comment" and above.end_point.row >= start.start_point.row - 1:
        before = above.prev_sibling
        if before is not None and before.end_point.row == above.start_point.row:
            break
        start, above = above, before
    return start.start_byte


def _indent(source: bytes, at: int) -> bytes:
    """The whitespace between the start of `at`'s line and `at`; nothing when code is there."""
    line = source[source.rfind(b"\n", 0, at) + 1:at]
    return line if not line.strip() else b""


def _reindent(piece: bytes, new: _Span, piece_start: int, indent: bytes) -> bytes:
    """The piece's lines after the first moved from their common indentation (the first line's
    place counted) to `indent`, except the lines inside template literals, whose spaces are
    part of a string."""
    source = new.parsed.source
    in_template: set[int] = set()  # lines' starts, counted back from the end of the definition
    stack = [new.parsed.root]
    while stack:
        node = stack.pop()
        if node.end_byte <= piece_start or node.start_byte >= new.end:
            continue
        if node.type == "template_string":
            at = source.find(b"\n", node.start_byte, node.end_byte)
            while at != -1:
                in_template.add(new.end - (at + 1))
                at = source.find(b"\n", at + 1, node.end_byte)
        else:
            stack.extend(node.named_children)
    lines = piece.split(b"\n")
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    movable = {i for i in range(1, len(lines))
               if len(piece) - starts[i] not in in_template and lines[i].strip()}
    margin = os.path.commonprefix([_indent(source, piece_start)]
                                  + [lines[i][:len(lines[i]) - len(lines[i].lstrip())] for i in sorted(movable)])
    out = [lines[0]]
    for i in range(1, len(lines)):
        if len(piece) - starts[i] in in_template:
            out.append(lines[i])
        elif i in movable:
            out.append(indent + lines[i][len(margin):])
        else:
            out.append(b"")  # a blank line
    return b"\n".join(out)
