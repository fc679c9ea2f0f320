"""The system parts some tests need (the Docker engine and image, bubblewrap, Neovim, Node, the
VS Code end-to-end tools) and what a test does when one is missing.

`make test` provisions them first (scripts/provision.sh), so where it has root nothing is
missing. Where it could not, the test skips with one line naming the part and the command that
adds it; with MICROAGENT_SYSTEM_REQUIRED=1 (.ci/run) it fails instead. Never an error.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
PROVISION = REPO / "scripts" / "provision.sh"
REQUIRED = "MICROAGENT_SYSTEM_REQUIRED"
NODE_MAJOR = 20  # @vscode/vsce and the extension's tools


def missing(line: str) -> NoReturn:
    """Skip the test with `line`, or fail it when the environment requires every part."""
    if os.environ.get(REQUIRED) == "1":
        pytest.fail(f"{line} ({REQUIRED}=1)", pytrace=False)
    pytest.skip(line)


def missing_part(part: str, detail: str = "") -> NoReturn:
    """A part scripts/provision.sh adds: its own line says what the part is and how to add it."""
    how = subprocess.run(["bash", str(PROVISION), "--how", part], capture_output=True, text=True,
                         check=True).stdout.strip()
    missing(how + (f" ({detail})" if detail else ""))


def bwrap() -> str:
    from microagent.sandbox.bubblewrap import find_bwrap

    return find_bwrap() or missing_part("bubblewrap")


def nvim() -> str:
    """The `nvim` on PATH, or the one MICROAGENT_NVIM names (to try another version)."""
    return os.environ.get("MICROAGENT_NVIM") or shutil.which("nvim") or missing_part("neovim")


def node_tools() -> tuple[str, str, str]:
    """npm, npx and node from PATH, with a node recent enough for the extension's tools."""
    found = [shutil.which(name) for name in ("npm", "npx", "node")]
    if None in found:
        missing(f"missing Node.js {NODE_MAJOR} or later with npm (the VS Code extension's build): "
                "install NodeSource's nodejs package or one from nodejs.org")
    npm, npx, node = found
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0] or 0) < NODE_MAJOR:
        missing(f"{node} is Node.js {version}; the VS Code extension's tools need {NODE_MAJOR} or "
                "later (Debian 12's own nodejs is 18): install NodeSource's nodejs package or one "
                "from nodejs.org")
    return npm, npx, node


JS_RUNNERS = REPO / "scripts" / "js-runners.sh"


def js_runners() -> str:
    """The node_modules directory holding vitest and jest (scripts/js-runners.sh installs it
    once), with the host's node to run them."""
    if shutil.which(os.environ.get("MICROAGENT_NODE", "node")) is None:
        missing("missing Node.js (the vitest and jest runs): sudo apt-get install nodejs npm")
    modules = subprocess.run(["bash", str(JS_RUNNERS), "--print"], capture_output=True,
                             text=True, check=True).stdout.strip()
    if not (Path(modules).parent / ".installed").is_file():
        missing(f"missing vitest and jest in {modules}: run scripts/js-runners.sh (npm, once)")
    return modules


def js_runners_line() -> str:
    """node, vitest and jest as the node-marked tests will run them, for the report header."""
    node = os.environ.get("MICROAGENT_NODE", "node")
    try:
        found = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10)
        modules = Path(subprocess.run(["bash", str(JS_RUNNERS), "--print"], capture_output=True,
                                      text=True, check=True).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return "node: absent"
    versions = []
    for name in ("vitest", "jest"):
        try:
            versions.append(f"{name} {json.loads((modules / name / 'package.json').read_text())['version']}")
        except (OSError, ValueError, KeyError):
            versions.append(f"{name} absent (scripts/js-runners.sh)")
    return f"node {found.stdout.strip()}, " + ", ".join(versions)


def docker_engine() -> None:
    """The engine answers and the sandbox image is built (building it now, once, if missing)."""
    engine, image = _docker_problems()
    if engine:
        missing_part("docker", engine)
    if image:
        missing(f"the sandbox image could not be built ({image}): see `microagent sandbox build`")


@functools.cache
def _docker_problems() -> tuple[str, str]:
    from microagent.sandbox.engine import connect, ensure_image
    from microagent.sandbox.types import SandboxError

    try:
        connect().close()
    except SandboxError:
        return f"no answer at {os.environ.get('DOCKER_HOST', 'unix:///var/run/docker.sock')}", ""
    try:
        ensure_image(progress=lambda line: print(line, file=sys.__stderr__))
    except SandboxError as exc:
        return "", str(exc).splitlines()[0]
    return "", ""
