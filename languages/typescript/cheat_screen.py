"""The judge's screen for TypeScript and JavaScript: what a candidate change adds that no fix
needs and cheats do (the test runner's machinery reached from code, the process ended or its
end hooked, builtins or globals patched, objects equal to anything, code built at run time, the
run's environment read, the run's config files changed). Tree-sitter only: it never runs the
code, and it refuses only what is new relative to the original, never what the code already did.

The same shapes as `languages.python.cheat_screen`: `screen(before, after)` -> [Finding] and
`refusal(findings)`, so the judge can ask either language's screen. The tables are in
`cheat_rules.py`; which names are the file's own, in `scopes.py`.
"""

from __future__ import annotations

from collections import Counter

import tree_sitter

from microagent.languages.python.cheat_screen import Finding, refusal
from microagent.languages.typescript import cheat_rules as rules
from microagent.languages.typescript.parsed import Parsed, grammar_for, is_test_file, parse
from microagent.languages.typescript.global_names import (CHAINS, GLOBAL_OBJECTS, IMPORTERS, UNWRAP,
                                                         GlobalNames, first_argument, literal)
from microagent.languages.typescript.run_files import run_file, run_file_changes
from microagent.languages.typescript.scopes import FUNCTIONS, Scopes

__all__ = ["Finding", "refusal", "screen"]

# A finding's `what` that the file only needs once: a second import of a module it already
# imports, or another read of process.env where it already read it, is not new.
ONCE = ("imports ", "reads the run's ")
_STORES = frozenset({"assignment_expression", "augmented_assignment_expression"})
_KEYS = {"pair": "key", "method_definition": "name", "public_field_definition": "name",
         "field_definition": "property", "method_signature": "name"}


def screen(before: dict[str, str], after: dict[str, str]) -> list[Finding]:
    """What `after` (path -> new text) adds, file by file, relative to `before` (path ->
    original text; a missing path is a new file). Test files are left alone, as the Python
    screen leaves them: the Coder never writes them. A changed run config is refused whole."""
    found = [Finding(path, 1, what) for path, what in run_file_changes(before, after)]
    for path in sorted(after):
        if grammar_for(path) is None or is_test_file(path) or run_file(path):
            continue
        found.extend(_added(path, before.get(path, ""), after[path]))
    return found


def _added(path: str, original: str, candidate: str) -> list[Finding]:
    new = _scan(path, candidate)
    if isinstance(new, str):
        return [Finding(path, 1, new)]
    broken = _first_error(path, candidate)
    if broken and not _first_error(path, original):
        return [Finding(path, broken, f"does not parse as {grammar_for(path)}, so it cannot be "
                                      "screened (a syntax error at this line)")]
    old = _scan(path, original)  # a broken original: the same text scans the same, counts tell
    old = [] if isinstance(old, str) else old
    had = Counter((f.what, f.scope) for f in old)
    has = Counter((f.what, f.scope) for f in new)
    once = {f.what for f in old if f.what.startswith(ONCE)}
    return [f for f in new if has[(f.what, f.scope)] > had[(f.what, f.scope)]
            and f.what not in once]


def _first_error(path: str, source: object) -> int | None:
    """The line of the first syntax error tree-sitter finds, or None. A candidate that only
    tree-sitter cannot read is refused, not screened by halves: the runner's own parser might
    read it, and what hides in an ERROR node would run."""
    if not isinstance(source, str):
        return None
    stack = [parse(path, source).root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return node.start_point[0] + 1
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _scan(path: str, source: str) -> list[Finding] | str:
    """The findings of one file, or why it could not be read. Tree-sitter reads past syntax
    errors, so a broken file is screened for what it does hold: the runner may still load it
    (esbuild reads syntax this grammar may not), and its tests will say if it does not."""
    if not isinstance(source, str):
        return f"could not be screened: its text is {type(source).__name__}, not str"
    try:
        parsed = parse(path, source)
        scanner = _Scanner(path, parsed)
        scanner.walk()
    except RecursionError:
        return "could not be screened: it nests deeper than the screen reads"
    except Exception as exc:  # fail closed: what the screen cannot read is refused, with why
        return f"could not be screened ({type(exc).__name__}: {exc})"
    return scanner.found


class _Scanner:
    def __init__(self, path: str, parsed: Parsed) -> None:
        self.path, self.parsed = path, parsed
        self.scopes = Scopes(parsed)
        self.names = GlobalNames(parsed, self.scopes)
        self.found: list[Finding] = []
        self.checked: set[tuple[int, int]] = set()  # chains whose name a call already judged

    def add(self, node: tree_sitter.Node, what: str, scoped: bool = True) -> None:
        finding = Finding(self.path, node.start_point[0] + 1, what,
                          _scope(self.parsed, node) if scoped else "")
        if finding not in self.found:
            self.found.append(finding)

    def walk(self) -> None:
        stack: list[tuple[tree_sitter.Node, bool]] = [(self.parsed.root, False)]
        while stack:
            node, chained = stack.pop()
            skip = self.visit(node, chained)
            if skip:
                continue
            for child in reversed(node.children):
                inner = node.type in CHAINS and child == node.child_by_field_name("object")
                stack.append((child, inner or (chained and node.type in UNWRAP)))

    def visit(self, node: tree_sitter.Node, chained: bool) -> bool:
        """Judge one node; True when its children need no look."""
        kind = node.type
        if kind in ("import_statement", "export_statement"):
            source = node.child_by_field_name("source")
            if source is not None:
                self.check_import(node, literal(self.parsed, source))
            return kind == "import_statement"
        if kind == "call_expression":
            self.check_call(node)
        elif kind == "new_expression":
            self.check_new(node)
        elif kind in _STORES:
            self.check_store(node.child_by_field_name("left"))
        elif kind == "unary_expression" and self.parsed.text(node).startswith("delete"):
            self.check_store(node.child_by_field_name("argument"))
        elif kind in _KEYS:
            self.check_key(node.child_by_field_name(_KEYS[kind]))
        elif kind in ("string_fragment", "property_identifier", "private_property_identifier"):
            marker = rules.marker_in(self.parsed.text(node))
            if marker:
                self.add(node, f"names the test runner's internals ({marker})")
            member = node.parent is not None and node.parent.type == "member_expression"
            if member and self.parsed.text(node) == "__proto__":
                self.add(node, "reaches a prototype by __proto__")
            elif member and self.parsed.text(node) in ("caller", "callee"):
                self.add(node, f"reaches its callers ({self.parsed.text(node)})")
        if kind in ("identifier", "shorthand_property_identifier", "meta_property", *CHAINS) \
                and _key(node) not in self.checked:
            self.check_name(node, chained)
        return False

    # -- names ------------------------------------------------------------------------------

    def check_name(self, node: tree_sitter.Node, chained: bool) -> None:
        """The name rules for the whole of a chain (`process.stdout.write`, not its parts); a
        computed look-up on a global anywhere in it."""
        name, part = self.names.dotted(node), node
        while name is None and part is not None and part.type in CHAINS:  # `process.env[key]`: judge process.env
            part = part.child_by_field_name("object")
            name = self.names.dotted(part)
            name = None if name in GLOBAL_OBJECTS else name  # `globalThis[key]`: said below
        typeof = node.parent is not None and node.parent.type == "unary_expression" and \
            self.parsed.text(node.parent).startswith("typeof")  # `typeof process`: a question
        what = rules.name_finding(name) if name is not None and not (chained or typeof) else None
        if what:
            self.add(node, what)
        if node.type == "subscript_expression" and \
                literal(self.parsed, node.child_by_field_name("index")) is None:
            base = self.names.dotted(node.child_by_field_name("object"))
            if base in (*GLOBAL_OBJECTS, "process", "require", "module"):
                self.add(node, f"looks up {base} by a computed name")

    # -- imports, calls, stores, keys -------------------------------------------------------

    def check_import(self, node: tree_sitter.Node, module: str | None) -> None:
        if module is None:
            self.add(node, "imports a module named at run time")
        elif what := rules.module_finding(module):
            self.add(node, what, scoped=False)

    def check_call(self, call: tree_sitter.Node) -> None:
        function = call.child_by_field_name("function")
        first = first_argument(call)
        if function is not None and function.type == "import":
            return self.check_import(call, literal(self.parsed, first))
        name = self.names.dotted(function)
        if name in IMPORTERS:
            self.checked.add(_key(function))
            return self.check_import(call, literal(self.parsed, first))
        owner, _, method = (name or "").rpartition(".")
        if owner == "process" and method in rules.PROCESS_LISTENERS and first is not None:
            event = literal(self.parsed, first)
            if event in rules.END_EVENTS:
                self.checked.add(_key(function))
                self.add(call, f"hooks the process's end (process.{method}('{event}'))")
        elif name == "Symbol.for":
            key = literal(self.parsed, first)
            if key is None:
                self.add(call, "makes a global symbol from a name made at run time")
            elif any(word in key.lower() for word in rules.SYMBOL_WORDS):
                self.add(call, f"names the test runner's internals (Symbol.for('{key}'))")
        elif owner in ("Object", "Reflect") and method in rules.PATCHERS | rules.PEEKERS:
            target = self.builtin_target(first)
            if target:
                verb = "patches" if method in rules.PATCHERS else "looks through"
                self.add(call, f"{verb} {target} ({name})")
        if function is not None and function.type == "member_expression" and \
                self.parsed.text(function.child_by_field_name("property")) == "constructor":
            self.add(call, "runs code made at run time (a Function constructor)")

    def check_new(self, node: tree_sitter.Node) -> None:
        made = node.child_by_field_name("constructor")
        while made is not None and made.type in UNWRAP:
            made = made.named_children[-1] if made.named_children else None
        if made is not None and made.type == "member_expression" and \
                self.parsed.text(made.child_by_field_name("property")) == "constructor":
            owner = made.child_by_field_name("object")
            if owner is not None and owner.type != "this":
                self.add(node, "runs code made at run time (a Function constructor)")

    def builtin_target(self, node: tree_sitter.Node | None) -> str | None:
        """"globalThis", "Array.prototype" (a builtin or its prototype), or None."""
        name = self.names.dotted(node)
        if name is None:
            return None
        top = name.split(".")[0]
        if name in GLOBAL_OBJECTS or top in rules.BUILTINS or name == "import.meta":
            return name
        return None

    def check_store(self, target: tree_sitter.Node | None) -> None:
        """An assignment (or delete) to a global, a builtin, a prototype or a matcher."""
        if target is None:
            return
        if target.type == "identifier" and not self.scopes.is_local(target) \
                and self.parsed.text(target) not in (*self.names.aliases, "exports"):
            self.add(target, f"assigns the global {self.parsed.text(target)}")
            return
        if target.type not in CHAINS:
            return
        name = self.names.dotted(target)
        part = target.child_by_field_name("property")
        prop = self.parsed.text(part) if part is not None else None
        root = _root(target)
        held = self.names.dotted(root) if root.type == "identifier" else None
        if held in GLOBAL_OBJECTS:
            self.add(target, f"assigns the global {name.split('.')[0] if name else '(computed)'}")
        if name is not None and name.startswith("process."):
            what = "sets the process's exit code (process.exitCode)" \
                if name == "process.exitCode" else f"overrides {name}"
            self.add(target, what)
        elif name is not None and name.split(".")[0] in rules.BUILTINS:
            self.add(target, f"patches a builtin ({name})")
        elif (_through_prototype(self.parsed, target) and (root.type != "identifier"
                                                           or name is not None)) \
                or self.names.dotted(root.child_by_field_name("function")) in rules.PROTOTYPE_OF:
            self.add(target, f"patches a prototype it does not own ({self.parsed.text(target)})")
        own = root.type == "this" or (root.type == "identifier" and held is None)
        if prop in rules.MATCHERS and not own:
            self.add(target, f"overrides a matcher or equality ({prop})")
        elif prop in rules.EQUAL_TO_ANYTHING:
            self.add(target, f"gives an object {prop} (equal to anything)")

    def check_key(self, key: tree_sitter.Node | None) -> None:
        """An object's, class's or interface's member named like a matcher or `asymmetricMatch`."""
        if key is None:
            return
        name = literal(self.parsed, key) if key.type in ("string", "computed_property_name") \
            else self.parsed.text(key)
        if name in rules.EQUAL_TO_ANYTHING:
            self.add(key, f"gives an object {name} (equal to anything)")
        elif name in rules.MATCHERS - {"equals"}:
            self.add(key, f"defines a matcher ({name})")


def _root(node: tree_sitter.Node) -> tree_sitter.Node:
    while node.type in CHAINS or node.type in UNWRAP:
        inner = node.child_by_field_name("object") if node.type in CHAINS else \
            (node.named_children[-1] if node.named_children else None)
        if inner is None:
            break
        node = inner
    return node


def _through_prototype(parsed: Parsed, node: tree_sitter.Node) -> bool:
    """Whether a member chain passes `.prototype`, `.__proto__` or `.constructor`."""
    while node is not None and node.type in CHAINS:
        part = node.child_by_field_name("property")
        if part is not None and parsed.text(part) in ("prototype", "__proto__", "constructor"):
            return True
        node = node.child_by_field_name("object")
    return False


def _key(node: tree_sitter.Node) -> tuple[int, int]:
    return node.start_byte, node.end_byte


def _scope(parsed: Parsed, node: tree_sitter.Node) -> str:
    """The enclosing functions and classes by name ("Calc.add"), so a CLI's exit stays its own."""
    names: list[str] = []
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS or current.type in ("class_declaration", "class"):
            name = current.child_by_field_name("name")
            if name is None and current.parent is not None and \
                    current.parent.type == "variable_declarator":
                name = current.parent.child_by_field_name("name")
            names.append(parsed.text(name) if name is not None else "<anonymous>")
        current = current.parent
    return ".".join(reversed(names))
