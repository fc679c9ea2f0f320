"""`microagent fix . --backend docker` on a three-file vitest project (its lockfile made with npm
on the host): the real command, a scripted Coder, the Node sandbox image with the node_modules
the lockfile names. Slow the first time (npm fetches vitest; the layer is built once)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import system_parts

pytestmark = [pytest.mark.docker, pytest.mark.node]
MICROAGENT = Path(sys.executable).with_name("microagent")
SUM = "export function sum(a, b) {\n  return a - b\n}\n"
TEST = ("import { expect, test } from 'vitest'\nimport { sum } from './sum.js'\n\n"
        "test('adds 1 + 2 to equal 3', () => {\n  expect(sum(1, 2)).toBe(3)\n})\n")
PACKAGE = {"name": "sum", "type": "module", "scripts": {"test": "vitest run"},
           "devDependencies": {"vitest": "3.2.7"}}
EDIT = "sum.js\n<<<<<<< SEARCH\n  return a - b\n=======\n  return a + b\n>>>>>>> REPLACE\n"


def vitest_project(root: Path) -> Path:
    npm = shutil.which("npm") or system_parts.missing("missing npm (the project's lockfile)")
    root.mkdir()
    (root / "sum.js").write_text(SUM)
    (root / "sum.test.js").write_text(TEST)
    (root / "package.json").write_text(json.dumps(PACKAGE, indent=2) + "\n")
    subprocess.run([npm, "install", "--package-lock-only", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=root, check=True, timeout=300)
    return root


def node_image() -> None:
    from microagent.sandbox.node_image import NODE_IMAGE

    found = subprocess.run(["docker", "image", "inspect", NODE_IMAGE], capture_output=True)
    if found.returncode != 0:
        system_parts.missing(f"missing the Node sandbox image {NODE_IMAGE}: "
                             "`python -m microagent.sandbox.node_image` builds it")


def test_microagent_fix_solves_a_vitest_project_in_the_node_sandbox(tmp_path):
    node_image()
    project = vitest_project(tmp_path / "sum")
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"replies": [
        {"model": "coder", "reply": EDIT}, {"model": "reviewer", "reply": "[]", "repeat": True},
        {"model": "tester", "reply": "no inputs", "repeat": True}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env |= {"MICROAGENT_SCRIPT": str(script), "MICROAGENT_CODER_MODEL": "scripted/coder",
            "MICROAGENT_REVIEWER_MODEL": "scripted/reviewer",
            "MICROAGENT_TESTER_MODEL": "scripted/tester", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run([str(MICROAGENT), "fix", ".", "--backend", "docker", "--json"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["status"] == "solved", result["message"]
    assert result["environment"]["backend"] == "docker" and "package-lock.json" in \
        result["environment"]["sources"]
    assert [e["path"] for e in result["edits"]] == ["sum.js"]
    assert "return a + b" in result["edits"][0]["content"]
    assert (project / "sum.js").read_text() == SUM  # --apply not given: nothing written
