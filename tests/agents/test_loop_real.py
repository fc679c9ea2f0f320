"""The real thing: the embedded Qwen model fixes an example in the real Docker sandbox."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microagent.server.cli.apply import apply_edits
from microagent.agents.config import load_config
from microagent.agents.runtime import RUNNER, run_task
from microagent.agents.types import RunStatus, Task, TaskKind

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.model
@pytest.mark.docker
async def test_embedded_model_fixes_calc_in_docker(tmp_path):
    from microagent.sandbox.docker_backend import DockerSandbox
    from microagent.sandbox.engine import ensure_image

    ensure_image()
    root = tmp_path / "calc"
    shutil.copytree(EXAMPLES / "calc", root)
    tests_before = (root / "test_calc.py").read_bytes()
    config = load_config(root, env={"MICROAGENT_REVIEW": "false"})  # defaults: local Qwen
    sandbox = DockerSandbox(runner=RUNNER)
    try:
        result = await run_task(Task(kind=TaskKind.fix, root=str(root)), config, sandbox=sandbox)
    finally:
        await sandbox.close()
    print(result.status, result.message, result.iterations, result.seconds, result.tokens)
    assert result.status == RunStatus.solved, result.message
    assert apply_edits(root, result.edits).written == ["calc.py"]
    assert (root / "test_calc.py").read_bytes() == tests_before
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
