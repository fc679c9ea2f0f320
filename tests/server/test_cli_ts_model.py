"""The two TypeScript/JavaScript examples fixed by `microagent fix` as a user runs it: the
embedded model (the defaults), the Docker sandbox with the Node image and the node_modules the
lockfile names. Then the applied project's whole suite is run again, apart from the fix's own
run, and passes; the test file is untouched."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microagent.agents.config import load_config
from microagent.agents.runtime import open_sandbox
from microagent.sandbox.snapshot import read_workspace
from test_cli_ts_docker import node_image

pytestmark = [pytest.mark.model, pytest.mark.docker, pytest.mark.node]
MICROAGENT = Path(sys.executable).with_name("microagent")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example, source, test", [("sum-vitest", "sum.js", "sum.test.js"),
                                                   ("temperature-jest", "convert.js", "convert.test.js")])
def test_the_embedded_model_fixes_the_example_on_docker(tmp_path, example, source, test):
    node_image()
    project = tmp_path / example
    shutil.copytree(EXAMPLES / example, project)
    test_before = (project / test).read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env["MICROAGENT_REVIEW"] = "false"  # the review comes after the edit; it is not judged here
    env["MICROAGENT_SEED"] = "1"  # the samples the same on every run
    env["MICROAGENT_MAX_SECONDS"] = "900"  # a busy machine slows the model; the candidates cap it
    done = subprocess.run([str(MICROAGENT), "fix", ".", "--backend", "docker", "--json", "--apply"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    print(result["status"], result["message"], result.get("seconds"), result.get("tokens"))
    assert result["status"] == "solved", result["message"]
    assert [e["path"] for e in result["edits"]] == [source]
    assert (project / test).read_bytes() == test_before
    assert asyncio.run(suite_passes(project)), "the applied project's suite fails"


async def suite_passes(root: Path) -> bool:
    config = load_config(root, overrides={"sandbox.backend": "docker"})
    sandbox, _ = open_sandbox(config, root)
    try:
        snapshot = read_workspace(root)
        await sandbox.prepare(snapshot)
        report = await sandbox.run_tests(snapshot, timeout=120)
    finally:
        await sandbox.close()
    return report.ok
