"""The Neovim plugin inside a real headless Neovim, without a run: its commands, completion and
mappings, targets from the cursor, configuration, the applyEdit handler's version checks,
settings encoding and :checkhealth (tests/editors/nvim_plugin_checks.lua)."""

from __future__ import annotations

import json
import subprocess

import pytest

from nvim_session import HERE, INIT, server_env
from system_parts import nvim

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def test_the_plugin_checks_pass_inside_neovim(tmp_path):
    results = tmp_path / "checks.json"
    env = server_env(tmp_path) | {"MICROAGENT_E2E_RESULT": str(results)}
    command = [nvim(), "--headless", "--clean", "-u", str(INIT),
               "-c", f"luafile {HERE / 'nvim_plugin_checks.lua'}"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=180, stdin=subprocess.DEVNULL)
    if not results.exists():
        pytest.fail(f"Neovim exited ({done.returncode}) without writing its results.\n"
                    f"stdout: {done.stdout[-3000:]}\nstderr: {done.stderr[-3000:]}", pytrace=False)
    report = json.loads(results.read_text(encoding="utf-8"))
    failed = [c for c in report["checks"] if not c["ok"]]
    assert len(report["checks"]) >= 12
    if failed:
        pytest.fail(f"{len(failed)} of {len(report['checks'])} plugin checks failed in "
                    f"{report['version']}:\n\n" + "\n\n".join(f"- {c['name']}:\n{c['error']}"
                                                              for c in failed), pytrace=False)
