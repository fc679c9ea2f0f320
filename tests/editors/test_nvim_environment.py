"""Neovim end to end on a real project shape: a src layout with a declared dependency, the
Docker sandbox building the workspace's environment (pip from a local wheel cache), shown in
the plugin's progress, then the fix applied to the module the package re-exports."""

from __future__ import annotations

import json
import subprocess

import pytest

from env_projects import (FIX, FIXED_LINE, SOURCE, TEST, env_image_ids, remove_new_env_images,
                          write_geom_project)
from local_wheels import offline_pip_env
from nvim_session import HERE, nvim_command, server_env
from system_parts import nvim

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.timeout(400)]
LIMIT = 300


def test_a_src_layout_with_a_dependency_fixed_from_neovim(tmp_path, wheelhouse):
    project = write_geom_project(tmp_path / "geom")
    results = tmp_path / "result.json"
    env = server_env(tmp_path) | offline_pip_env(wheelhouse) | {
        "MICROAGENT_SANDBOX_BACKEND": "docker", "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "MICROAGENT_E2E_RESULT": str(results), "MICROAGENT_E2E_TIMEOUT": str((LIMIT - 60) * 1000),
        "MICROAGENT_E2E_SOURCE": SOURCE, "MICROAGENT_E2E_TEST": TEST}
    (tmp_path / "script.json").write_text(json.dumps({"replies": [
        {"model": "coder", "reply": FIX}, {"model": "reviewer", "reply": "[]"}]}))
    command = nvim_command(nvim(), driver=False) + ["-c", f"luafile {HERE / 'nvim_project_fix.lua'}"]
    before = env_image_ids()
    try:
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              timeout=LIMIT, stdin=subprocess.DEVNULL)
    finally:
        remove_new_env_images(before)
    assert results.exists(), done.stderr[-3000:]
    result = json.loads(results.read_text())
    assert not result.get("error"), json.dumps(result, indent=1)[-4000:]

    shown = [p.get("message") or "" for p in result["progress"]]
    assert any(m.startswith("environment: docker: environment built") for m in shown), shown
    assert "solved" in result["progress"][-1]["message"], shown[-5:]
    assert any(FIXED_LINE in line for line in result["source_lines"])
    assert FIXED_LINE in (project / SOURCE).read_text()  # :wall wrote it
