"""The judge's screen: what a candidate change adds that no fix needs and cheats do (the test
machinery imported into code, the process ended early, builtins or sys.modules patched, an
`__eq__` that ignores its argument). Pure `ast`: it never runs the code, and it refuses only
what is new relative to the original, never what the user's code already does.

Beyond the known tricks it is an allow-list for what a fix may add: no module of the process
or the interpreter (`sys`, `os`, `threading`, `traceback`, `importlib`, `__main__`, ...) the
module did not already import, no code built at run time (`exec`, `eval`, `compile`), no
function or frame internals (`__code__`, `f_code`), no metaclass or `__getattr__` hook, no
`__eq__`/`__hash__` on a subclass of a builtin type.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

from microagent.languages.python.parsed import is_test_file, parse_module

# Top-level modules whose import into non-test code is refused: each reaches the test run
# (its outcomes, its plugins, its report, the callers' frames or raw memory).
MODULES = ("pytest", "_pytest", "unittest", "gc", "atexit", "ctypes", "inspect")
# The process and the interpreter: computing a result needs none of them, so a change may
# import one only where the module already did.
INTERPRETER = ("sys", "os", "posix", "nt", "builtins", "traceback", "threading", "_thread",
               "importlib", "__main__", "signal", "subprocess", "multiprocessing", "code",
               "codeop", "dis", "marshal", "runpy", "faulthandler", "tracemalloc", "pty", "site")
_RUNTIME_CODE = ("exec", "eval", "compile")
BUILTIN_TYPES = {"int", "float", "complex", "str", "bytes", "bytearray", "bool", "list", "tuple",
                 "dict", "set", "frozenset"}
_HOOKS = {"__getattr__", "__getattribute__"}
# Dotted names (after resolving import aliases) whose use is refused; a prefix match counts.
NAMES = {
    "os._exit": "calls os._exit", "posix._exit": "calls os._exit", "nt._exit": "calls os._exit",
    "sys.exit": "calls sys.exit", "sys.modules": "touches sys.modules",
    "sys._getframe": "reads the callers' frames (sys._getframe)",
    "sys.settrace": "traces the test run (sys.settrace)",
    "sys.setprofile": "traces the test run (sys.setprofile)",
    "sys.__dict__": "touches sys.modules", "builtins.__dict__": "patches builtins",
    "__builtins__": "touches __builtins__",
}
# Attributes of any object that lead from the code under test to the test run's own state.
REACHES = {"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
           "ag_frame", "__subclasses__", "__globals__", "__code__", "__closure__", "f_code",
           "f_trace", "co_code", "co_consts", "__loader__", "tb_next"}
_SYSTEM = ("os", "posix", "nt", "sys", "builtins", "__builtins__")
_BUILTIN_EXITS = {"exit": "calls exit()", "quit": "calls exit()"}
_IMPORTERS = {"__import__", "import_module"}
_EQUALITY = {"__eq__", "__ne__"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str  # "imports atexit", "calls os._exit", "defines Box.__eq__ that always answers True"
    scope: str = ""  # the enclosing definition, so a CLI main's sys.exit stays its own

    def __str__(self) -> str:
        return f"{self.what} in {self.path}:{self.line}"


def screen(before: dict[str, str], after: dict[str, str]) -> list[Finding]:
    """What `after` (path -> new text) adds, file by file, relative to `before` (path ->
    original text; a missing path is a new file). Test files are left alone: the Coder never
    writes them. A file that does not parse adds nothing here (its tests will say so)."""
    found: list[Finding] = []
    for path in sorted(after):
        if not path.endswith(".py") or is_test_file(path):
            continue
        found.extend(_added(path, before.get(path, ""), after[path]))
    return found


def refusal(findings: list[Finding]) -> str:
    """One sentence for the record, the Coder and the user."""
    shown = "; ".join(f"the change {f}" for f in findings[:3])
    more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
    return f"refused without running the tests: {shown}{more}, which no fix needs"


def _added(path: str, original: str, candidate: str) -> list[Finding]:
    new = _scan(path, candidate)
    if new is None:
        return []
    old = _scan(path, original)
    if old is None:  # the original does not parse: what its lines already say is not new
        kept = {line.strip() for line in original.splitlines()}
        lines = candidate.splitlines()
        return [f for f in new if lines[f.line - 1].strip() not in kept]
    had = Counter((f.what, f.scope) for f in old)
    has = Counter((f.what, f.scope) for f in new)
    imported = {f.what for f in old if f.what.startswith("imports ")}  # once is enough
    return [f for f in new if has[(f.what, f.scope)] > had[(f.what, f.scope)]
            and f.what not in imported]


def _scan(path: str, source: str) -> list[Finding] | None:
    tree = parse_module(source)
    if tree is None:
        return None
    scanner = _Scanner(path, _aliases(tree))
    scanner.visit(tree)
    return scanner.found


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted name it was imported as, anywhere in the file."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, aliases: dict[str, str]) -> None:
        self.path, self.aliases = path, aliases
        self.scope: list[str] = []
        self.found: list[Finding] = []

    def add(self, node: ast.AST, what: str, scoped: bool = True) -> None:
        scope = ".".join(self.scope) if scoped else ""
        finding = Finding(self.path, getattr(node, "lineno", 1), what, scope)
        if finding not in self.found:
            self.found.append(finding)

    def dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and _called(node) == "getattr" and len(node.args) >= 2:
            base, name = self.dotted(node.args[0]), _text(node.args[1])
            return f"{base}.{name}" if base and name else None
        return None

    def check_name(self, node: ast.AST) -> bool:
        name = self.dotted(node)
        if name is None:
            return False
        for known, what in NAMES.items():
            if name == known or name.startswith(known + "."):
                self.add(node, what)
                return True
        return False

    # -- imports ------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self.check_import(node, a.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            self.check_import(node, node.module)
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if any(full == k or full.startswith(k + ".") for k in NAMES):
                    self.add(node, f"imports {full}", scoped=False)

    def check_import(self, node: ast.AST, module: str) -> None:
        top = module.split(".")[0]
        if top in MODULES or top in INTERPRETER:
            self.add(node, f"imports {top}", scoped=False)

    # -- names, calls, stores -----------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in REACHES:
            self.add(node, f"reaches the interpreter's internals ({node.attr})")
        if not self.check_name(node):
            self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.aliases or node.id == "__builtins__":
            self.check_name(node)

    def visit_Call(self, node: ast.Call) -> None:
        called = _called(node)
        if called in _IMPORTERS and node.args:
            module = _text(node.args[0])
            if module is None:
                self.add(node, "imports a module named at run time")
            else:
                self.check_import(node, module)
        elif called in _BUILTIN_EXITS and isinstance(node.func, ast.Name) \
                and node.func.id not in self.aliases:
            self.add(node, _BUILTIN_EXITS[called])
        elif called in _RUNTIME_CODE and isinstance(node.func, ast.Name) \
                and node.func.id not in self.aliases:
            self.add(node, f"runs code made at run time ({called})")
        elif called == "getattr" and len(node.args) >= 2:
            if _text(node.args[1]) in REACHES:
                self.add(node, f"reaches the interpreter's internals ({_text(node.args[1])})")
            elif _text(node.args[1]) is not None:
                self.check_name(node)
            elif (self.dotted(node.args[0]) or "").split(".")[0] in _SYSTEM:
                self.add(node, f"looks up {self.dotted(node.args[0])} attributes by a computed name")
        elif called in ("setattr", "delattr") and node.args:
            target = self.dotted(node.args[0]) or ""
            if target.split(".")[0] in ("builtins", "__builtins__"):
                self.add(node, "patches builtins")
            name = _text(node.args[1]) if len(node.args) > 1 else None
            if name in _EQUALITY and len(node.args) > 2:
                self.check_equality(node.args[2], name, target)
        elif called == "vars" and node.args and self.dotted(node.args[0]) in ("builtins", "sys"):
            self.add(node, f"patches {self.dotted(node.args[0])}")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id == "SystemExit":
            self.add(node, "raises SystemExit")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.check_store(target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.check_store(node.target, node.value)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.check_store(target, None)
        self.generic_visit(node)

    def check_store(self, target: ast.AST, value: ast.AST | None) -> None:
        root = target
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if root is not target and (self.dotted(root) or "").split(".")[0] in ("builtins", "__builtins__"):
            self.add(target, "patches builtins")
        if isinstance(target, ast.Name) and target.id in _EQUALITY and value is not None \
                and self.scope and self.scope[-1].startswith("class "):
            self.check_equality(value, target.id, self.scope[-1][6:])

    def visit_Dict(self, node: ast.Dict) -> None:  # type("X", (), {"__eq__": lambda s, o: True})
        for key, value in zip(node.keys, node.values):
            if key is not None and _text(key) in _EQUALITY:
                self.check_equality(value, _text(key), "a class")
        self.generic_visit(node)

    # -- definitions --------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if any(k.arg == "metaclass" for k in node.keywords):
            self.add(node, f"gives {node.name} a metaclass", scoped=False)
        bases = {self.dotted(b) for b in node.bases}
        if "type" in bases:
            self.add(node, f"defines a metaclass ({node.name})", scoped=False)
        builtin = sorted(bases & BUILTIN_TYPES)
        self.scope.append(f"class {node.name}")
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in _EQUALITY:
                self.check_equality(item, item.name, node.name)
            names = [item.name] if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else \
                [t.id for t in getattr(item, "targets", []) if isinstance(t, ast.Name)]
            for name in names:
                if builtin and name in (*_EQUALITY, "__hash__"):
                    self.add(item, f"defines {node.name}.{name} on a subclass of {builtin[0]}",
                             scoped=False)
                if name in _HOOKS:
                    self.add(item, f"defines {node.name}.{name}", scoped=False)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.scope and node.name in _HOOKS:
            self.add(node, f"defines a module-level {node.name}", scoped=False)
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def check_equality(self, node: ast.AST, name: str, owner: str) -> None:
        """An `__eq__`/`__ne__` (def or lambda) that never reads the other object, or whose
        every return is the same constant, answers without comparing anything."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        args = node.args
        params = [a.arg for a in args.posonlyargs + args.args]
        other = params[1] if len(params) > 1 else (args.vararg.arg if args.vararg else None)
        body = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
        reads = {n.id for stmt in body for n in ast.walk(stmt)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        returns = [n.value for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Return)
                   and n.value is not None and not (isinstance(n.value, ast.Constant)
                                                    and n.value.value is None)]
        if not returns or all(isinstance(r, ast.Name) and r.id == "NotImplemented" for r in returns):
            return  # answers nothing (abstract, raises) or declines: Python asks the other object
        constant = returns and all(isinstance(r, ast.Constant) for r in returns) and \
            len({repr(r.value) for r in returns}) == 1
        where = f"{owner}.{name}"
        if constant:
            self.add(node, f"defines {where} that always answers {returns[0].value!r}", scoped=False)
        elif other is None or other not in reads:
            self.add(node, f"defines {where} that ignores the object it compares with", scoped=False)


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
