"""Which workspace files a module imports, resolved from its `ast` the way pytest's rootdir and
`sys.path` would find them. Never a text search: `import calculator` is not an import of calc.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from microagent.sandbox.types import WorkspaceSnapshot


def resolve_module(snapshot: WorkspaceSnapshot, module: str, from_path: str) -> str | None:
    """The workspace file for a dotted module, tried as pytest's rootdir and sys.path would."""
    rel = module.replace(".", "/")
    here = str(PurePosixPath(from_path).parent)
    bases = ["", "src/"] + ([here + "/"] if here not in ("", ".") else [])
    for base in bases:
        found = _module_file(snapshot, f"{base}{rel}")
        if found:
            return found
    return None


def resolve_from(snapshot: WorkspaceSnapshot, node: ast.ImportFrom, from_path: str) -> str | None:
    """The workspace file a `from ... import` names, absolute or relative (`from .shapes`)."""
    if node.level == 0:
        return resolve_module(snapshot, node.module, from_path) if node.module else None
    parents = PurePosixPath(from_path).parents
    if node.level > len(parents):
        return None  # above the workspace: nothing of ours
    package = parents[node.level - 1]
    base = package / node.module.replace(".", "/") if node.module else package
    return _module_file(snapshot, base.as_posix())


def defining_module(snapshot: WorkspaceSnapshot, path: str, name: str, depth: int = 4) -> str:
    """Where `name`, imported from the module at `path`, is defined: a package's `__init__.py`
    that re-exports it (`from geom.shapes import Rect`) leads on to `geom/shapes.py`."""
    from microagent.languages.python.parsed import defined_names, parse_module

    source = snapshot.text(path) if path in snapshot.files else ""
    if depth == 0 or name in defined_names(source):
        return path
    tree = parse_module(source)
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name
                                                    for a in node.names):
            original = next(a.name for a in node.names if (a.asname or a.name) == name)
            target = resolve_from(snapshot, node, path)
            if target and target != path:
                return defining_module(snapshot, target, original, depth - 1)
    return path


def imported_files(snapshot: WorkspaceSnapshot, from_path: str, tree: ast.AST) -> set[str]:
    """Every workspace file `tree` (the module at `from_path`) imports: `import a.b`,
    `from a.b import c` (c may itself be a module), and relative imports."""
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {resolve_module(snapshot, alias.name, from_path) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(resolve_module(snapshot, node.module, from_path))
            found |= {resolve_module(snapshot, f"{node.module}.{alias.name}", from_path)
                      for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            parents = PurePosixPath(from_path).parents
            if node.level > len(parents):
                continue  # above the workspace: nothing of ours
            package = parents[node.level - 1]
            base = package / node.module.replace(".", "/") if node.module else package
            found.add(_module_file(snapshot, base.as_posix()))
            found |= {_module_file(snapshot, (base / alias.name).as_posix()) for alias in node.names}
    return {path for path in found if path}


def _module_file(snapshot: WorkspaceSnapshot, stem: str) -> str | None:
    stem = stem.removeprefix("./")
    for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
        if candidate in snapshot.files:
            return candidate
    return None
