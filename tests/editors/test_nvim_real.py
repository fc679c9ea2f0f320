"""A bench/real task fixed from Neovim with the default settings (the embedded model for every
role; the mutations proposer first), as a user would meet it: the project's exact sdist (sha256 checked; fetched with the host's pip into bench/real's cache the
first time), its injected bug, `:MicroAgentFix` on the failing test's file, the Docker sandbox
with the project's own environment, the fix written by `:wall`, and then the whole upstream
suite passing on the written files."""

from __future__ import annotations

import asyncio
import json
import subprocess

import pytest

from microagent.bench.real import load_tasks, prepare, remove, run_suite
from nvim_session import HERE, nvim_command, server_env
from system_parts import nvim

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.model, pytest.mark.timeout(900)]
TASK = "toolz"  # 17 modules, 180 tests; bench/results/real-loop.jsonl: solved
LIMIT = 600


def _embedded_models(env: dict[str, str]) -> dict[str, str]:
    """server_env's environment with the scripted models and their settings taken out: the
    defaults (the embedded model for every role, the mutations proposer first) serve. (The
    test init's `maxIterations = 3` still holds: it counts the Coder's answers only.)"""
    scripted = ("MICROAGENT_SCRIPT", "MICROAGENT_SCRIPT_LOG", "MICROAGENT_CODER_MODEL",
                "MICROAGENT_REVIEWER_MODEL", "MICROAGENT_TESTER_MODEL", "MICROAGENT_MUTANTS")
    return {k: v for k, v in env.items() if k not in scripted}


def test_a_real_project_is_fixed_from_neovim_with_the_default_settings(tmp_path):
    task = next(t for t in load_tasks() if t.name == TASK)
    root = prepare(task)
    try:
        results = tmp_path / "result.json"
        env = _embedded_models(server_env(tmp_path)) | {
            "MICROAGENT_SANDBOX_BACKEND": "docker", "MICROAGENT_SEED": "1",
            "MICROAGENT_REVIEW": "false", "MICROAGENT_E2E_RESULT": str(results),
            "MICROAGENT_E2E_TIMEOUT": str((LIMIT - 60) * 1000),
            "MICROAGENT_E2E_SOURCE": task.file,
            "MICROAGENT_E2E_TEST": task.expected_failing[0].split("::")[0]}
        command = nvim_command(nvim(), driver=False) + [
            "-c", f"luafile {HERE / 'nvim_project_fix.lua'}"]
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                              timeout=LIMIT, stdin=subprocess.DEVNULL)
        assert results.exists(), done.stderr[-3000:]
        result = json.loads(results.read_text())
        assert not result.get("error"), json.dumps(result, indent=1)[-4000:]
        shown = [p.get("message") or "" for p in result["progress"]]
        assert "solved" in shown[-1], shown[-8:]

        written = (root / task.file).read_text(encoding="utf-8")
        assert task.replace not in written  # :wall wrote the fix over the bug
        suite = asyncio.run(run_suite(root, task))
        assert suite["ok"] and suite["collected"] == task.tests, suite
    finally:
        remove(root)
