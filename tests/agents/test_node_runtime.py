"""The sandbox a TypeScript/JavaScript workspace gets, and the message for each missing part,
said before any model call (agents/node_runtime.py)."""

import pytest

from microagent.agents.node_runtime import node_language, open_node_sandbox
from microagent.sandbox.types import SandboxError


def write(root, package='{"scripts": {"test": "vitest run"}}'):
    (root / "package.json").write_text(package)
    (root / "sum.js").write_text("export function sum(a, b) { return a - b }\n")
    (root / "sum.test.js").write_text("import { sum } from './sum'\n")
    return root


def test_a_python_workspace_is_not_opened_here(tmp_path):
    (tmp_path / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    assert node_language(tmp_path) is None


def test_the_process_backend_without_node_modules_says_to_install_them(tmp_path):
    language, snapshot = node_language(write(tmp_path))
    with pytest.raises(SandboxError, match=r"node_modules is missing.*npm ci"):
        open_node_sandbox("process", language, snapshot)


def test_a_project_naming_neither_runner_says_what_to_add(tmp_path):
    write(tmp_path, package='{"name": "x"}')
    (tmp_path / "node_modules").mkdir()
    language, snapshot = node_language(tmp_path)
    with pytest.raises(SandboxError, match="neither vitest nor jest"):
        open_node_sandbox("process", language, snapshot)


def test_bubblewrap_says_it_does_not_run_javascript_yet(tmp_path):
    language, snapshot = node_language(write(tmp_path))
    with pytest.raises(SandboxError, match="bubblewrap sandbox does not run TypeScript"):
        open_node_sandbox("bubblewrap", language, snapshot)
