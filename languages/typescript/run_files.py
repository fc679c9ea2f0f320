"""The files that configure a vitest or jest run rather than hold the code under test: the
runners' and bundlers' configs, setup files, tsconfig (its `paths` remap imports), babel, .env,
module mocks, stored snapshots, node_modules and package.json's run keys. No fix changes one,
and a candidate that does reaches the run itself, so the screen refuses any change to them.

Names only (and package.json's JSON): it never runs or imports a config.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

# Config files by their name without the last suffix(es): vitest.config.ts, jest.config.mjs.
CONFIGS = frozenset({"vitest.config", "vitest.workspace", "vitest.projects", "vite.config",
                     "jest.config", "babel.config", "jest.preset", "vitest.setup", "jest.setup",
                     "setupTests", "setup-tests", "test-setup", "jest.global-setup",
                     "jest.globalSetup", "vitest.global-setup", "global-setup", "globalSetup",
                     "jest.resolver", "jest.environment"})
NAMED = frozenset({".babelrc", ".swcrc", ".npmrc", ".env", ".mocharc", "jsconfig.json"})
# package.json keys that decide how the tests run or how modules load.
RUN_KEYS = ("jest", "scripts", "vitest", "babel", "type", "imports", "exports", "main", "module")


def run_file_changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    """(path, what the change does) for each changed or added file that configures the run."""
    found: list[tuple[str, str]] = []
    for path in sorted(after):
        original = before.get(path)
        if original == after[path]:
            continue
        what = _package_change(original, after[path]) if PurePosixPath(path).name == \
            "package.json" else run_file(path)
        if what:
            found.append((path, what))
    return found


def run_file(path: str) -> str | None:
    """What a file configures, when it configures the test run: "the vitest config"."""
    pure = PurePosixPath(path)
    name, parts = pure.name, pure.parts[:-1]
    if "node_modules" in parts:
        return "writes into node_modules"
    if "__mocks__" in parts:
        return "changes a module mock (__mocks__)"
    if "__snapshots__" in parts or name.endswith(".snap"):
        return "changes a stored snapshot"
    if name.startswith("tsconfig") and name.endswith(".json"):
        return f"changes {name} (its paths decide what an import loads)"
    if name in NAMED or any(name.startswith(f"{n}.") for n in NAMED if n.startswith(".")):
        return f"changes {name}"
    stem = name
    while PurePosixPath(stem).suffix and stem not in CONFIGS:
        stem = stem[: -len(PurePosixPath(stem).suffix)]
    if stem in CONFIGS:
        kind = "setup file" if "setup" in stem.lower() or "Setup" in stem else "config"
        return f"changes the test run's {kind} ({name})"
    return None


def _package_change(original: str | None, candidate: str) -> str | None:
    new = _json(candidate)
    if new is None:
        return "makes package.json text that is not a JSON object"
    old = _json(original) if original is not None else {}
    changed = [k for k in RUN_KEYS if (old or {}).get(k) != new.get(k)]
    return f"changes package.json's \"{changed[0]}\"" if changed else None


def _json(text: str) -> dict | None:
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
