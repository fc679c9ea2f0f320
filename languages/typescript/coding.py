"""TypeScript and JavaScript as the Coder reads and writes them (`languages.language.Coding`):
fenced blocks and the files they name (replies.py), an answer's definitions spliced one by one
into the file by tree-sitter (splice.py), the parse check. Pure text: it never runs anything.

An answer is spliced only where every statement in it is understood: a function or class (a
method alone when the answer's class holds only some of the file's methods), a constant bound
by name, an import; anything else is said back rather than guessed at.
"""

from __future__ import annotations


import tree_sitter

from microagent.languages.language import CodeBlock, Spliced
from microagent.languages.typescript import replies
from microagent.languages.typescript.context import code_piece
from microagent.languages.typescript.parsed import (VARIABLE_DECLARATIONS, Parsed, definition_of,
                                                    grammar_for, methods, parse, top_definitions)
from microagent.languages.typescript.splice import replace_definition
from microagent.languages.typescript.test_files import is_test_file

TYPESCRIPT_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")
ANSWER = "answer.ts"  # how text is read where no file names its grammar
_SKIPPED = frozenset({"comment", "empty_statement"})


class TypeScriptCoding:
    fence = "typescript"
    word = "TypeScript/JavaScript"
    comment = "//"
    prompts = "coder_ts"
    edit_prompts = "coder_edits_ts"
    edits = "always"  # a 1.5B model rewrites a whole JavaScript function less reliably

    def fence_for(self, path: str) -> str:
        return "typescript" if path.endswith(TYPESCRIPT_SUFFIXES) else "javascript"

    def code_blocks(self, reply: str) -> list[CodeBlock]:
        return replies.code_blocks(reply)

    def named_path(self, line: str) -> str | None:
        return replies.named_path(line)

    def is_test_file(self, path: str) -> bool:
        return is_test_file(path)

    def splice(self, path: str, source: str, code: str) -> Spliced:
        if grammar_for(path) is None:
            return Spliced(source, f"{path} is not a TypeScript or JavaScript file")
        answer = parse(path, code)
        if answer.has_errors:
            return Spliced(source, _error_line(answer))
        result = source
        for statement in [s for s in answer.root.named_children if s.type not in _SKIPPED]:
            spliced = _splice_statement(path, result, answer, statement)
            if spliced is None:
                first = answer.text(statement).splitlines()[0][:80]
                return Spliced(source, f"could not place `{first}` in {path}")
            result = spliced
        return Spliced(result)

    def parse_error(self, path: str, text: str) -> str | None:
        if grammar_for(path) is None:
            return None
        parsed = parse(path, text)
        return _error_line(parsed) if parsed.has_errors else None

    def defined_names(self, path: str, code: str) -> set[str]:
        read_as = path if grammar_for(path) else ANSWER
        return {d.name for d in top_definitions(parse(read_as, code))}

    def same_code(self, path: str, new: str, old: str) -> bool:
        read_as = path if grammar_for(path) else ANSWER
        trees = [parse(read_as, new), parse(read_as, old)]
        if any(t.has_errors for t in trees):
            return False
        return _tokens(trees[0]) == _tokens(trees[1])

    def focused(self, path: str, source: str, names: list[str]) -> str:
        return code_piece(path, source, names).text


def _splice_statement(path: str, source: str, answer: Parsed,
                      statement: tree_sitter.Node) -> str | None:
    """`source` with one statement of the answer in place: None where it cannot be placed."""
    text = answer.text(statement)
    current = parse(path, source)
    existing = {d.name: d for d in top_definitions(current)}
    definition = definition_of(answer, statement)
    if definition is not None:
        old = existing.get(definition.name)
        if old is None:
            return _appended(source, text)
        if definition.kind == "class" and old.kind == "class":
            mine = methods(answer, definition.node)
            theirs = {m.name for m in methods(current, old.node)}
            if mine and {m.name for m in mine} < theirs:  # a partial class: its methods alone
                for method in mine:
                    source = replace_definition(source, f"{definition.name}.{method.name}",
                                                answer.text(method.member), path=path)
                    if source is None:
                        return None
                return source
        return replace_definition(source, definition.name, text, path=path)
    if text.strip() in source:
        return source  # an import or export the file already has
    if statement.type == "import_statement":
        imports = [s for s in current.root.named_children if s.type == "import_statement"]
        at = imports[-1].end_byte if imports else 0
        head = current.source[:at].decode("utf-8", "surrogatepass")
        return head + ("\n" if head else "") + text + ("" if head else "\n") + source[len(head):]
    if statement.type in VARIABLE_DECLARATIONS:
        names = _declared(answer, statement)
        for old in current.root.named_children:
            inner = old.child_by_field_name("declaration") if old.type == "export_statement" else old
            if inner is not None and inner.type in VARIABLE_DECLARATIONS and \
                    _declared(current, inner) == names:
                before = current.source[:inner.start_byte].decode("utf-8", "surrogatepass")
                after = current.source[inner.end_byte:].decode("utf-8", "surrogatepass")
                return before + text + after
        return _appended(source, text)
    return None


def _declared(parsed: Parsed, statement: tree_sitter.Node) -> list[str]:
    return [parsed.text(d.child_by_field_name("name")) for d in statement.named_children
            if d.type == "variable_declarator" and d.child_by_field_name("name") is not None]


def _appended(source: str, text: str) -> str:
    return source.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"


def _error_line(parsed: Parsed) -> str:
    """Where the first syntax error is, as the Coder reads it."""
    stack = [parsed.root]
    while stack:
        node = stack.pop(0)
        if node.type == "ERROR" or node.is_missing:
            what = f"`{node.type}` is missing" if node.is_missing else "a syntax error"
            return f"line {node.start_point.row + 1}: {what}"
        stack = [c for c in node.children if c.has_error or c.is_missing] + stack
    return "a syntax error"


def _tokens(parsed: Parsed) -> list[tuple[str, bytes]]:
    """The leaves of a tree, comments left out: what the code is, layout aside."""
    found, stack = [], [parsed.root]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            continue
        if node.child_count == 0:
            found.append((node.type, parsed.source[node.start_byte:node.end_byte]))
        stack.extend(reversed(node.children))
    return found


CODING = TypeScriptCoding()

