"""Which distribution an import names, and the judge's screen for a change that drops an import
of a declared dependency or hides it behind `try: ... except ImportError`: a candidate may not
pass by doing without what the environment lacks. Pure `ast`: it never imports what it reads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from microagent.languages.python.cheat_screen import Finding
from microagent.languages.python.parsed import is_test_file, parse_module
from microagent.sandbox.dependencies import normalize

# Import names whose distribution is called something else (normalized names; the first is the
# one to install). Any other import is looked up under its own top-level name.
KNOWN: dict[str, tuple[str, ...]] = {
    "yaml": ("pyyaml",), "PIL": ("pillow",), "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",), "cv2": ("opencv-python", "opencv-python-headless",
                                          "opencv-contrib-python"),
    "bs4": ("beautifulsoup4",), "dateutil": ("python-dateutil",), "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",), "attr": ("attrs",), "serial": ("pyserial",), "zmq": ("pyzmq",),
    "Crypto": ("pycryptodome",), "OpenSSL": ("pyopenssl",), "git": ("gitpython",),
    "docx": ("python-docx",), "magic": ("python-magic",), "multipart": ("python-multipart",),
    "jose": ("python-jose",), "slugify": ("python-slugify",), "fitz": ("pymupdf",),
    "MySQLdb": ("mysqlclient",), "psycopg2": ("psycopg2", "psycopg2-binary"),
    "grpc": ("grpcio",), "google.protobuf": ("protobuf",), "markdown_it": ("markdown-it-py",),
    "pkg_resources": ("setuptools",), "_pytest": ("pytest",), "nacl": ("pynacl",),
    "websocket": ("websocket-client",), "socks": ("pysocks",), "win32api": ("pywin32",),
    "kafka": ("kafka-python",), "telegram": ("python-telegram-bot",),
}
# What a guard catches when it hides an import that fails.
_CATCHES = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def distributions(module: str) -> tuple[str, ...]:
    """The distributions that may provide `module` (`yaml` -> pyyaml), most likely first."""
    top = module.split(".")[0]
    found = KNOWN.get(module, ()) + KNOWN.get(top, ()) + (normalize(top),)
    return tuple(dict.fromkeys(found))


def declared_distribution(module: str, declared: set[str]) -> str | None:
    """The declared distribution (normalized names) that provides `module`, or None."""
    return next((d for d in distributions(module) if d in declared), None)


def screen_dependencies(before: dict[str, str], after: dict[str, str],
                        declared: set[str]) -> list[Finding]:
    """What `after` (path -> new text) does to the imports of `declared` distributions that
    `before` (path -> original text) makes: removes one, or moves it under a `try` whose
    handler catches ImportError (or Exception). Test files, new files and files that do not
    parse are left alone, as the cheat screen leaves them."""
    found: list[Finding] = []
    for path in sorted(after):
        if not path.endswith(".py") or is_test_file(path) or path not in before or not declared:
            continue
        old, new = _imports(before[path], declared), _imports(after[path], declared)
        if old is None or new is None:
            continue
        for dist, had in sorted(old.items()):
            has = new.get(dist)
            if had.guarded or (has is not None and not has.guarded):
                continue
            if has is None:
                found.append(Finding(path, had.line, f"removes the import of {had.module} (the "
                                     f"declared dependency {dist})"))
            else:
                found.append(Finding(path, has.line, f"hides the import of {had.module} (the "
                                     f"declared dependency {dist}) behind try/except"))
    return found


@dataclass(frozen=True)
class _Import:
    module: str
    line: int
    guarded: bool


def _imports(source: str, declared: set[str]) -> dict[str, _Import] | None:
    """Declared distribution -> its import in `source` (an unguarded one wins); None when the
    text does not parse."""
    tree = parse_module(source)
    if tree is None:
        return None
    finder = _ImportFinder(declared)
    finder.visit(tree)
    return finder.found


class _ImportFinder(ast.NodeVisitor):
    def __init__(self, declared: set[str]) -> None:
        self.declared = declared
        self.found: dict[str, _Import] = {}
        self.guards = 0

    def add(self, module: str, line: int) -> None:
        dist = declared_distribution(module, self.declared)
        known = self.found.get(dist) if dist else None
        if dist and (known is None or (known.guarded and not self.guards)):
            self.found[dist] = _Import(module, line, bool(self.guards))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            self.add(node.module, node.lineno)

    def visit_Try(self, node: ast.Try) -> None:
        guard = any(_catches_import_errors(h.type) for h in node.handlers)
        self.guards += guard
        for stmt in node.body:
            self.visit(stmt)
        self.guards -= guard
        for stmt in [*node.handlers, *node.orelse, *node.finalbody]:
            self.visit(stmt)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        if not _type_checking(node.test):  # an import under TYPE_CHECKING never runs
            self.visit(node.test)
            for stmt in node.body:
                self.visit(stmt)
        for stmt in node.orelse:
            self.visit(stmt)


def _catches_import_errors(handler: ast.expr | None) -> bool:
    if handler is None:  # a bare except
        return True
    if isinstance(handler, ast.Tuple):
        return any(_catches_import_errors(e) for e in handler.elts)
    name = handler.id if isinstance(handler, ast.Name) else \
        handler.attr if isinstance(handler, ast.Attribute) else None
    return name in _CATCHES


def _type_checking(test: ast.expr) -> bool:
    name = test.id if isinstance(test, ast.Name) else \
        test.attr if isinstance(test, ast.Attribute) else None
    return name == "TYPE_CHECKING" or (isinstance(test, ast.Constant) and test.value is False)
