"""Which workspace file an import specifier names, as Node and TypeScript find it: a relative
path with or without its extension (`./calc`, `./calc.js` for calc.ts), a folder's index file,
and the simple aliases of the root tsconfig.json (`baseUrl`, `paths` with one `*`). And where a
module that does not exist yet would go, so the Coder can write it.

Reads paths and texts only, never the disk. Packages (`vitest`, `lodash`) are not the
workspace's and resolve to None; so do tsconfig's `extends`, package.json `imports` and
node_modules, which it does not follow.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Collection

import tree_sitter

from microagent.languages.typescript.parsed import parse

# The order TypeScript's "bundler" resolution tries the extensions in; .d.ts files hold no code.
EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# ESM TypeScript imports a .ts file by the name of the .js file it compiles to.
COMPILED_FROM = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
TSCONFIG = "tsconfig.json"


@dataclass(frozen=True)
class Aliases:
    """tsconfig.json's `baseUrl` and `paths`, as workspace-relative folders."""

    base_url: str | None = None  # "" for the workspace's root
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("@/*", ("src/*",)), relative to the root


@dataclass
class Resolver:
    """Resolves specifiers among `files` (workspace-relative paths)."""

    files: Collection[str]
    aliases: Aliases = field(default_factory=Aliases)

    @classmethod
    def of(cls, files: dict[str, str] | Collection[str], tsconfig: str | None) -> "Resolver":
        return cls(files, aliases_of(tsconfig))

    def resolve(self, specifier: str, importer: str) -> str | None:
        """The workspace file `specifier`, imported from `importer`, names; None for a package or
        a file the workspace lacks."""
        for base in self._bases(specifier, importer):
            found = next((c for c in _candidates(base) if c in self.files), None)
            if found is not None:
                return found
        return None

    def expected(self, specifier: str, importer: str) -> str | None:
        """Where the module `specifier` would be written: its path with the extension asked for
        (a .ts file for `./x.js` from TypeScript), else the importer's own extension; a folder's
        index where the path is a folder. None for a package."""
        found = self.resolve(specifier, importer)
        if found is not None:
            return found
        bases = self._bases(specifier, importer, base_url=False)  # `lodash` is no file to write
        if not bases:
            return None
        base = bases[0]
        suffix = posixpath.splitext(base)[1]
        own = posixpath.splitext(importer)[1] or ".ts"
        if suffix in COMPILED_FROM and own in (".ts", ".tsx", ".mts", ".cts"):
            return base[: -len(suffix)] + COMPILED_FROM[suffix][0]
        if suffix in EXTENSIONS:
            return base
        if any(f.startswith(base + "/") for f in self.files):
            return f"{base}/index{own}"
        return base + own

    def _bases(self, specifier: str, importer: str, base_url: bool = True) -> list[str]:
        """The workspace paths (before the extension rules) `specifier` may stand for; with
        `base_url`, a bare name under tsconfig's baseUrl too."""
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
            return [] if _outside(joined) else [joined]
        if not specifier or specifier.startswith(("/", "node:")):
            return []
        bases: list[str] = []
        for pattern, targets in self.aliases.paths:
            captured = _match(pattern, specifier)
            if captured is not None:
                bases += [posixpath.normpath(t.replace("*", captured)) for t in targets]
        if base_url and self.aliases.base_url is not None:
            bases.append(posixpath.normpath(posixpath.join(self.aliases.base_url, specifier)))
        return [b for b in bases if not _outside(b)]


def aliases_of(tsconfig: str | None) -> Aliases:
    """The root tsconfig.json's `compilerOptions.baseUrl` and `paths`; none where it is absent
    or unreadable. tsconfig is JSON with comments and trailing commas: JavaScript's object
    syntax, so the JavaScript grammar reads it."""
    if not tsconfig:
        return Aliases()
    options = read_jsonc(tsconfig)
    options = options.get("compilerOptions") if isinstance(options, dict) else None
    if not isinstance(options, dict):
        return Aliases()
    base_url = options.get("baseUrl")
    base = posixpath.normpath(base_url) if isinstance(base_url, str) else None
    base = "" if base == "." else base
    paths = options.get("paths")
    found = []
    for pattern, targets in paths.items() if isinstance(paths, dict) else ():
        if isinstance(targets, list) and pattern.count("*") <= 1:
            kept = tuple(posixpath.join(base or "", t) for t in targets
                         if isinstance(t, str) and t.count("*") == pattern.count("*"))
            found.append((pattern, kept))
    return Aliases(base, tuple(found))


def read_jsonc(text: str) -> object:
    """A JSON-with-comments text as Python values; None where it is not one."""
    parsed = parse("tsconfig.js", "(" + text + "\n)")
    statement = parsed.root.named_children[0] if parsed.root.named_children else None
    if parsed.has_errors or statement is None or not statement.named_children:
        return None
    inner = statement.named_children[0]
    return _value(parsed, inner.named_children[0]) if inner.named_children else None


def _value(parsed, node: tree_sitter.Node) -> object:
    if node.type == "object":
        found = {}
        for pair in (p for p in node.named_children if p.type == "pair"):
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is not None and value is not None:
                found[_string(parsed, key)] = _value(parsed, value)
        return found
    if node.type == "array":
        return [_value(parsed, c) for c in node.named_children if c.type != "comment"]
    if node.type == "string":
        return _string(parsed, node)
    return {"true": True, "false": False, "null": None}.get(node.type, parsed.text(node))


def _string(parsed, node: tree_sitter.Node) -> str:
    if node.type != "string":
        return parsed.text(node)
    return "".join(parsed.text(c)[1:] if c.type == "escape_sequence" else parsed.text(c)
                   for c in node.named_children)


def _candidates(base: str) -> list[str]:
    stem, suffix = posixpath.splitext(base)
    found = [stem + s for s in COMPILED_FROM.get(suffix, ())]
    if suffix in EXTENSIONS:
        found.append(base)
    found += [base + s for s in EXTENSIONS]
    found += [f"{base}/index{s}" for s in EXTENSIONS]
    return [f.removeprefix("./") for f in found]


def _match(pattern: str, specifier: str) -> str | None:
    """What the `*` of a tsconfig paths pattern matched; "" for an exact pattern; None."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    head, tail = pattern.split("*")
    if specifier.startswith(head) and specifier.endswith(tail) and len(specifier) >= len(head + tail):
        return specifier[len(head): len(specifier) - len(tail)]
    return None


def _outside(path: str) -> bool:
    return path == ".." or path.startswith("../") or path.startswith("/")
