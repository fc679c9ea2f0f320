"""The sandbox for a TypeScript/JavaScript workspace, by the backend the settings ask for:
Docker runs its tests in the Node image with the node_modules its lockfile names
(sandbox/node_sandbox.py); the process backend runs them with the workspace's own node_modules
on the host's node. Each missing part (a lockfile, vitest or jest, the Node image, node_modules)
ends in a SandboxError that says what to do, before any model call.
"""

from __future__ import annotations

import sys
from pathlib import Path

from microagent.languages.language import Language
from microagent.languages.registry import UnsupportedLanguage, language_of_workspace
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Sandbox, SandboxError, WorkspaceSnapshot

NODE = "node"  # Language.sandbox_kind of the languages this module opens sandboxes for


def node_language(root: str | Path) -> tuple[Language, WorkspaceSnapshot] | None:
    """The workspace's language and files when its tests run on Node; None otherwise (a
    language not served is the loop's to say)."""
    snapshot = read_workspace(root)
    try:
        language = language_of_workspace(snapshot.files)
    except UnsupportedLanguage:
        return None
    return (language, snapshot) if language.sandbox_kind == NODE else None


def open_node_sandbox(backend: str, language: Language, snapshot: WorkspaceSnapshot,
                      python: str = sys.executable) -> tuple[Sandbox, str]:
    """The sandbox for `backend` ("auto", "docker", "process", "bubblewrap") and a sentence
    saying what was chosen and why."""
    if backend == "bubblewrap":
        raise SandboxError("the bubblewrap sandbox does not run TypeScript/JavaScript tests yet: "
                           "use `--backend docker` (the Node image) or `--backend process`")
    if backend in ("docker", "auto"):
        from microagent.sandbox.node_sandbox import NODE_MODULES, node_docker_sandbox  # docker: heavy

        try:
            runner = _runner(language, snapshot, NODE_MODULES)
            return node_docker_sandbox(runner), f"docker: the Node image, {runner.runner}"
        except SandboxError as exc:
            if backend == "docker":
                raise
            docker_problem = str(exc).splitlines()[0]
        box, why = _process(language, snapshot, python)
        return box, f"{why} (docker: {docker_problem})"
    return _process(language, snapshot, python)


def _process(language: Language, snapshot: WorkspaceSnapshot, python: str) -> tuple[Sandbox, str]:
    from microagent.sandbox.process_backend import ProcessSandbox

    own = Path(snapshot.root or ".") / "node_modules"
    if not own.is_dir():
        raise SandboxError(f"{own} is missing: the process sandbox runs the workspace's own test "
                           "runner; run `npm ci` (or `npm install`) there first, or use "
                           "`--backend docker`")
    runner = _runner(language, snapshot, str(own.resolve()))
    return ProcessSandbox(python, runner=runner), \
        f"process: WEAK isolation, {runner.runner} from the workspace's node_modules"


def _runner(language: Language, snapshot: WorkspaceSnapshot, modules: str):  # type: ignore[no-untyped-def]
    try:
        return language.test_runner(snapshot, modules=modules)
    except ValueError as exc:  # NoTestRunner: neither vitest nor jest named
        raise SandboxError(str(exc)) from None
