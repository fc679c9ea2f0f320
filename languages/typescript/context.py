"""Context for the Coder in a TypeScript or JavaScript workspace: the failing tests (their blocks,
with the file's imports and set-up) and the code they reach through the workspace's own imports,
cut to a token budget the way languages/python/context.py cuts it. Never the whole repository.

Pure: it reads the snapshot's texts, never the disk, and never runs anything.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import tree_sitter

from microagent.languages.suspects_first import suspects_first
from microagent.languages.language import Context, Piece
from microagent.languages.typescript.imports import WHOLE
from microagent.languages.typescript.node_runner import TARGET_SEPARATOR
from microagent.languages.typescript.parsed import SUFFIXES, Parsed, grammar_for
from microagent.languages.typescript.reach import Modules, enclosing, names_taken
from microagent.languages.typescript.suites import find_tests
from microagent.languages.typescript.test_excerpt import excerpt
from microagent.languages.typescript.test_files import is_test_file
from microagent.sandbox.types import TestCase, WorkspaceSnapshot

# A stack frame's file and line: `at add (/w/src/calc.ts:3:10)`, `❯ src/calc.ts:3:10`.
FRAME = re.compile(r"([\w./@\-]+(?:" + "|".join(re.escape(s) for s in SUFFIXES) + r")):(\d+)")
WHOLE_FILE_LINES = 150
SUSPECT_FUNCTIONS = 3  # functions shown for the localization's most suspicious lines
TEST_SHARE = 0.5  # of the budget: the most the failing tests' files take before they are cut
# The statements of a module shown with the functions picked from it: what they may refer to.
CONTEXT_STATEMENTS = frozenset({"import_statement", "lexical_declaration", "variable_declaration",
                                "type_alias_declaration", "interface_declaration", "enum_declaration"})


def build_context(snapshot: WorkspaceSnapshot, failing: list[TestCase],
                  count_tokens: Callable[[str], int], budget: int = 3000,
                  suspects: Sequence[tuple[str, int]] = ()) -> Context:
    """`suspects`: (path, 1-based line) of the most suspicious lines, most suspicious first: the
    functions holding them go first where the budget allows (never past it). Modules are shown
    most relevant first (those a failing stack passes through, then those the tests import,
    then their helpers), so the budget cuts the least relevant first."""
    workspace = Modules(snapshot.files, snapshot.text)
    tests: list[Piece] = []
    modules: dict[str, set[str]] = {}  # path -> local names the tests reach there
    level: dict[str, int] = {}  # 1: the tests import it; 2: what those modules import
    missing: dict[str, str] = {}
    by_file: dict[str, list[str]] = {}
    for case in failing:
        path, _, node_path = case.node_id.partition(TARGET_SEPARATOR)
        by_file.setdefault(path, []).append(node_path)
    for path, names in by_file.items():
        parsed = workspace.parsed(path)
        if parsed is None:
            if path in snapshot.files:
                tests.append(Piece(path, snapshot.text(path)))
            continue
        text, shown = _test_source(parsed, set(names) - {""})
        tests.append(Piece(path, text))
        for module, (name, defined) in _reached_from_test(workspace, path, parsed, shown):
            if defined is None:  # not there yet: where to write it
                missing[name] = module
                modules.setdefault(module, set()).add(name)
                level.setdefault(module, 1)
                continue
            modules.setdefault(defined[0], set()).add(defined[1])
            level.setdefault(defined[0], 1)
            if workspace.is_stub(*defined):
                missing[name] = defined[0]

    tests = _within_share(workspace, tests, failing, count_tokens, int(budget * TEST_SHARE))
    hot = _traceback_hits(workspace, failing)
    for path, names in hot.items():
        modules.setdefault(path, set()).update(names)
        level.setdefault(path, 1)
    for path, names in list(modules.items()):  # helpers they import from the workspace
        for dep, used in workspace.callees(path, names).items():
            if dep not in modules and not is_test_file(dep):
                modules[dep] = used
                level[dep] = 2
    modules = {p: n for p, n in modules.items() if not is_test_file(p)}

    first_seen = {p: i for i, p in enumerate(modules)}
    order = sorted(modules, key=lambda p: (p not in hot, level.get(p, 2), first_seen[p]))
    code: list[Piece] = []
    spent = sum(count_tokens(p.text) for p in tests)
    for path in order:
        if path not in snapshot.files:
            continue  # a module still to be written: a target, with nothing to show
        focus = not any(missing.get(n) == path for n in modules[path])
        piece = _code_piece(workspace, path, modules[path], hot.get(path, set()), focus)
        cost = count_tokens(piece.text)
        if spent + cost > budget and code:
            continue
        spent += cost
        code.append(piece)
    order = suspects_first(
        code, order, modules, _suspect_functions(workspace, suspects),
        lambda path, used, names: _code_piece(workspace, path, used, hot.get(path, set()) | names, True),
        count_tokens, spent, budget)
    wanted = sorted({n for names in modules.values() for n in names})
    return Context(tests, code, order, wanted, missing)


def _test_source(parsed: Parsed, names: set[str]) -> tuple[str, list[tree_sitter.Node]]:
    """The test file without the tests not named (and the describe blocks left empty of named
    tests), and the statements the named tests run: theirs, and beside them and above them the
    statements that hold no test (hooks, helpers, set-up), imports aside. The whole file where
    no name is found (a title built at run time)."""
    found = find_tests(parsed)
    chosen = [t for t in found if t.node_path in names]
    if not chosen:
        return parsed.text(parsed.root), [s for s in parsed.root.named_children
                                          if s.type != "import_statement"]
    drops = {_outermost_without(t.statement, chosen) for t in found if t not in chosen}
    kept, at = [], 0
    for start, end in sorted(_whole_lines(parsed.source, d) for d in drops):
        if start >= at:
            kept.append(parsed.source[at:start])
            at = end
    kept.append(parsed.source[at:])
    text = re.sub(r"\n{3,}", "\n\n", b"".join(kept).decode("utf-8", "replace"))
    blocks = {parsed.root}
    for test in chosen:
        node = test.statement.parent
        while node is not None:
            if node.type == "statement_block":
                blocks.add(node)
            node = node.parent
    shown = [t.statement for t in chosen]
    for block in blocks:
        shown += [s for s in block.named_children if s.type != "import_statement"
                  and not any(s.start_byte <= t.statement.start_byte < s.end_byte for t in found)]
    return text.strip("\n") + "\n", shown


def _whole_lines(source: bytes, node: tree_sitter.Node) -> tuple[int, int]:
    """The node's bytes, with its line's indentation and end where nothing else is on them."""
    start, end = node.start_byte, node.end_byte
    line_start = source.rfind(b"\n", 0, start) + 1
    if not source[line_start:start].strip():
        start = line_start
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end == -1 else line_end + 1
    if not source[end:line_end].strip():
        end = line_end
    return start, end


def _outermost_without(statement: tree_sitter.Node, chosen) -> tree_sitter.Node:
    """The test's statement, or the outermost describe statement around it that holds none of
    the `chosen` tests."""
    best, node = statement, statement.parent
    while node is not None and node.type != "program":
        if node.type == "expression_statement":
            if any(node.start_byte <= t.statement.start_byte < node.end_byte for t in chosen):
                break
            best = node
        node = node.parent
    return best


def _reached_from_test(workspace: Modules, path: str, parsed: Parsed, shown: list[tree_sitter.Node]):
    """(module, (name, where it is defined or None)) for each name the shown tests use from a
    workspace module (all it imports from one, where they use none of them by name)."""
    facts = workspace.facts(path)
    taken = names_taken(parsed, facts, shown)
    for imported in facts.imports:
        module = workspace.resolve(imported.specifier, path) \
            or workspace.resolver.expected(imported.specifier, path)
        if module is None or grammar_for(module) is None or not imported.names:
            continue
        names = [there for local, there in taken if any(local == n for n, _ in imported.names)]
        if not names:
            names = [there for _, there in imported.names if there != WHOLE]
        for name in dict.fromkeys(names):
            yield module, (name, workspace.defining(module, name))


def _traceback_hits(workspace: Modules, failing: list[TestCase]) -> dict[str, set[str]]:
    """Workspace files (not tests) a failing test's stack passes through, with the top-level
    definitions it passes through there. A frame's path may be absolute (the sandbox's): it
    names the workspace file its path ends with."""
    hits: dict[str, set[str]] = {}
    for case in failing:
        for where, line in FRAME.findall(case.traceback + "\n" + case.message):
            path = workspace_path(workspace, where)
            if path is None or is_test_file(path):
                continue
            name = enclosing(workspace.parsed(path), int(line))
            hits.setdefault(path, set()).update([name] if name else [])
    return hits


def _within_share(workspace: Modules, tests: list[Piece], failing: list[TestCase],
                  count_tokens: Callable[[str], int], share: int) -> list[Piece]:
    """Each failing test file over its part of `share`, cut to the tests its failures' stacks
    stop in (test_excerpt.py): a file of tests built from a table is otherwise shown whole."""
    each = share // max(len(tests), 1)
    cut = []
    for piece in tests:
        parsed = workspace.parsed(piece.path)
        if parsed is None or count_tokens(piece.text) <= each:
            cut.append(piece)
            continue
        lines = [int(line) for case in failing
                 for where, line in FRAME.findall(case.traceback + "\n" + case.message)
                 if workspace_path(workspace, where) == piece.path]
        lines += [case.line for case in failing if case.file == piece.path and case.line]
        cut.append(Piece(piece.path, excerpt(parsed, lines, count_tokens, each)))
    return cut


def workspace_path(workspace: Modules, where: str) -> str | None:
    parts = where.removeprefix("file://").lstrip("./").split("/")
    for k in range(len(parts)):
        candidate = "/".join(parts[k:])
        if candidate in workspace.paths and workspace.parsed(candidate) is not None:
            return candidate
    return None


def _suspect_functions(workspace: Modules, suspects: Sequence[tuple[str, int]],
                       most: int = SUSPECT_FUNCTIONS) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    seen = 0
    for path, line in suspects:
        parsed = workspace.parsed(path)
        if parsed is None or is_test_file(path):
            continue
        name = enclosing(parsed, line)
        if name and name not in found.setdefault(path, set()):
            found[path].add(name)
            seen += 1
            if seen >= most:
                break
    return {p: n for p, n in found.items() if n}


def _code_piece(workspace: Modules, path: str, used: set[str], hot: set[str], focus: bool) -> Piece:
    """The definitions the failing tests reach (and the ones they call in the same file), with
    the module's imports, constants and types; the whole file when it is small and something in
    it is missing. A small model shown one function answers with one function."""
    parsed = workspace.parsed(path)
    source = parsed.source.decode("utf-8", "replace")
    lines = source.splitlines()
    definitions = workspace.definitions(path)
    wanted = (used | hot) & definitions.keys()
    if (len(lines) <= WHOLE_FILE_LINES and not focus) or not wanted or wanted == definitions.keys():
        if len(lines) <= WHOLE_FILE_LINES:
            return Piece(path, source)
    for name in list(wanted):  # one level of callees inside the same module
        inside = _identifiers(parsed, definitions[name].node)
        wanted |= inside & definitions.keys()
    by_statement = {d.statement: d.name for d in definitions.values()}
    parts, names = [], []
    for statement in parsed.root.named_children:
        name = by_statement.get(statement)
        if name in wanted:
            parts.append(_with_doc(parsed, statement))
            names.append(name)
        elif name is None and _is_context(parsed, statement):
            parts.append(parsed.text(statement))
    if not names:
        return Piece(path, "\n".join(lines[:WHOLE_FILE_LINES]) + "\n")
    return Piece(path, "\n\n".join(parts) + "\n", names=names)


def _is_context(parsed: Parsed, statement: tree_sitter.Node) -> bool:
    if statement.type in CONTEXT_STATEMENTS:
        return True
    if statement.type == "export_statement":
        return statement.child_by_field_name("declaration") is not None \
            or statement.child_by_field_name("source") is not None \
            or any(c.type == "export_clause" for c in statement.children)
    return statement.type == "expression_statement" and parsed.text(statement).startswith(
        ("module.exports", "exports."))


def _with_doc(parsed: Parsed, statement: tree_sitter.Node) -> str:
    """A definition with the comment right above it (its JSDoc)."""
    above = statement.prev_sibling
    if above is not None and above.type == "comment" and above.end_point.row >= statement.start_point.row - 1:
        return parsed.source[above.start_byte:statement.end_byte].decode("utf-8", "replace")
    return parsed.text(statement)


def _identifiers(parsed: Parsed, node: tree_sitter.Node) -> set[str]:
    found, stack = set(), [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "type_identifier"):
            found.add(parsed.text(current))
        stack.extend(current.named_children)
    return found


def code_piece(path: str, source: str, names: list[str]) -> Piece:
    """The same focused view of `names` in another version of the file (the Coder shows the
    version being repaired as the first was shown)."""
    return _code_piece(Modules([path], lambda _: source), path, set(names), set(), True)
