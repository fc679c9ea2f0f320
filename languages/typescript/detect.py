"""Which test runner a TypeScript/JavaScript workspace uses, vitest or jest, from its
package.json (scripts.test, then its dependencies) and its config files. Reads file texts only;
never runs anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Mapping

from microagent.languages.typescript.node_runner import NodeTestRunner, RunnerName

RUNNERS: tuple[RunnerName, ...] = ("vitest", "jest")
CONFIG_SUFFIXES = (".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json")
# A vite config with a `test` section is vitest's, as vitest reads vite.config.* itself.
VITE_TEST_SECTION = re.compile(r"\btest\s*:\s*\{")
DEPENDENCY_FIELDS = ("devDependencies", "dependencies")


class NoTestRunner(ValueError):
    """The workspace names neither vitest nor jest; the message says what to add."""


@dataclass(frozen=True)
class DetectedRunner:
    runner: RunnerName
    reason: str  # where it was found: "package.json scripts.test runs `vitest run`"

    def test_runner(self, modules: str | None = None, node: str = "node") -> NodeTestRunner:
        """The runner for the sandbox; `modules` as `NodeTestRunner.modules`."""
        return NodeTestRunner(self.runner, modules=modules, node=node)


def detect_runner(files: Mapping[str, str], command: str | None = None) -> DetectedRunner:
    """The runner of the workspace whose files (relative path -> text) are `files`.

    `command` is a test command the user named (a later setting, as sandbox.test_command); it
    wins when it names vitest or jest. Then, in order: package.json's scripts.test, a
    vitest.config.* or jest.config.* (or package.json's "jest" section, or a vite.config.* with
    a `test` section), and last package.json's devDependencies and dependencies.
    """
    if command is not None:
        named = _named_in(command)
        if named is None:
            raise NoTestRunner(f"the test command `{command}` runs neither vitest nor jest; "
                               "only those two are supported")
        return DetectedRunner(named, f"the test command `{command}`")
    manifest = _manifest(files.get("package.json"))
    script = manifest.get("scripts", {}).get("test") if isinstance(manifest.get("scripts"),
                                                                    dict) else None
    if isinstance(script, str) and _named_in(script):
        return DetectedRunner(_named_in(script), f"package.json scripts.test runs `{script}`")
    configs = _config_files(files, manifest)
    for runner in RUNNERS:
        if configs[runner]:
            return DetectedRunner(runner, configs[runner])
    for runner in RUNNERS:
        for where in DEPENDENCY_FIELDS:
            listed = manifest.get(where)
            if isinstance(listed, dict) and runner in listed:
                return DetectedRunner(runner, f"package.json {where} lists {runner}")
    found = "package.json names neither" if "package.json" in files else "there is no package.json"
    raise NoTestRunner(
        f"no test runner found: {found} vitest nor jest, and there is no vitest.config.* or "
        "jest.config.*. Add one, e.g. `npm install -D vitest` and \"test\": \"vitest run\" in "
        "package.json's scripts."
    )


def _named_in(command: str) -> RunnerName | None:
    """The runner a command line runs: `vitest run`, `npx jest --ci`, `FOO=1 vitest`."""
    for word in re.split(r"[\s;&|()]+", command):
        name = PurePosixPath(word).name
        if name in RUNNERS:
            return name  # type: ignore[return-value]
    return None


def _manifest(text: str | None) -> dict:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _config_files(files: Mapping[str, str], manifest: dict) -> dict[RunnerName, str]:
    """Why each runner is configured here ("vitest.config.ts"), or ""."""
    found: dict[RunnerName, str] = {"vitest": "", "jest": ""}
    for path in sorted(files):
        name = PurePosixPath(path)
        if len(name.parts) != 1 or name.suffix not in CONFIG_SUFFIXES:
            continue
        stem = name.name[: -len(name.suffix)]
        if stem in ("vitest.config", "vitest.workspace") and not found["vitest"]:
            found["vitest"] = path
        elif stem == "jest.config" and not found["jest"]:
            found["jest"] = path
        elif stem == "vite.config" and VITE_TEST_SECTION.search(files[path]) \
                and not found["vitest"]:
            found["vitest"] = f"{path} (its `test` section)"
    if not found["jest"] and isinstance(manifest.get("jest"), dict):
        found["jest"] = "package.json's \"jest\" section"
    return found
