"""Small vitest and jest projects for the TypeScript runner's tests, and the sandbox that runs
them: the host's node, vitest and jest from the cache scripts/js-runners.sh fills (a test
skips, saying so, without them).

A project is `src/calc` (TypeScript under vitest, CommonJS under jest) whose `add` subtracts,
and its test file. Code written for both runners is plain JavaScript (vitest's TypeScript
takes it as it is) and reaches Node's modules with `process.getBuiltinModule`.
"""

from __future__ import annotations

import os
import sys

from microagent.languages.typescript.node_runner import NodeTestRunner, RunnerName
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.types import WorkspaceSnapshot

import system_parts

RUNNERS: tuple[RunnerName, ...] = ("vitest", "jest")
PACKAGES = {
    "vitest": '{"name": "calc", "type": "module", "scripts": {"test": "vitest run"}}\n',
    "jest": '{"name": "calc", "scripts": {"test": "jest"}}\n',
}
HEADERS = {
    "vitest": "import { describe, test, it, expect } from 'vitest'\nimport { add } from './calc'\n",
    "jest": "const { add } = require('./calc')\n",
}
ADDS = "describe('calc', () => {\n  test('adds', () => {\n    expect(add(1, 2)).toBe(3)\n  })\n})\n"


def spec_path(runner: RunnerName) -> str:
    return f"src/calc.test.{'ts' if runner == 'vitest' else 'js'}"


def target(runner: RunnerName, node_path: str = "calc > adds") -> str:
    return f"{spec_path(runner)}::{node_path}"


def module_source(runner: RunnerName, body: str = "", top: str = "") -> str:
    """`add`, which runs `body` and then subtracts, after `top` at the module's top level."""
    inner = "".join(f"  {line}\n" for line in body.strip().splitlines())
    if runner == "vitest":
        return f"{top}\nexport function add(a, b) {{\n{inner}  return a - b\n}}\n"
    return f"{top}\nfunction add(a, b) {{\n{inner}  return a - b\n}}\nmodule.exports = {{ add }}\n"


def project(runner: RunnerName, *, body: str = "", top: str = "", tests: str = ADDS,
            header: str | None = None,
            extra: dict[str, str] | None = None) -> WorkspaceSnapshot:  # fmt: skip
    files = {
        "package.json": PACKAGES[runner],
        f"src/calc.{'ts' if runner == 'vitest' else 'js'}": module_source(runner, body, top),
        spec_path(runner): (HEADERS[runner] if header is None else header) + tests,
        **(extra or {}),
    }
    return WorkspaceSnapshot(files={path: text.encode() for path, text in files.items()})


def node_sandbox(runner: RunnerName) -> ProcessSandbox:
    """The process backend running `runner` from the cache, with the host's node or the one
    MICROAGENT_NODE names; skips without node or the cache."""
    modules = system_parts.js_runners()
    node = os.environ.get("MICROAGENT_NODE", "node")
    return ProcessSandbox(sys.executable, runner=NodeTestRunner(runner, modules=modules, node=node))
