"""Neovim end to end on TypeScript: headless Neovim loads the plugin from this repository, starts
the real `microagent-lsp` (scripted models, process sandbox) on a vitest project, offers
"Make this test pass" on the failing test of a .ts file through vim.lsp.buf.code_action(),
runs it when picked, applies the versioned edit, shows the reviewer's comment, and after :wall
vitest passes on the written files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from nvim_session import HERE, nvim_command, server_env
from system_parts import nvim
from ts_session import (FIX_TEST, FIXED, REPLIES, REVIEW_LINE, REVIEW_MESSAGE, SOURCE, SUM,
                        SUM_TEST, TARGET, TESTS, vitest, vitest_project)

pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(300)]
DRIVER = HERE / "nvim_ts_fix_run.lua"
LIMIT = 180  # seconds for the whole Neovim session


def test_a_vitest_test_in_a_ts_file_made_to_pass_from_neovims_code_action_menu(tmp_path):
    project = vitest_project(tmp_path)
    before = vitest(project)
    assert before.returncode == 1 and "1 failed | 1 passed" in before.stdout, before.stdout

    results = tmp_path / "result.json"
    env = server_env(tmp_path, REPLIES) | {"MICROAGENT_E2E_RESULT": str(results),
                                           "MICROAGENT_E2E_TIMEOUT": str((LIMIT - 60) * 1000)}
    command = nvim_command(nvim(), driver=False) + ["-c", f"luafile {DRIVER}"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=LIMIT, stdin=subprocess.DEVNULL)
    assert results.exists(), f"no result file; stdout: {done.stdout[-2000:]} stderr: {done.stderr[-2000:]}"
    result = json.loads(results.read_text(encoding="utf-8"))
    assert not result.get("error"), json.dumps(result, indent=1)[-6000:]

    assert result["filetype"] == "typescript"
    assert result["client"]["name"] == "microagent"
    assert Path(result["client"]["root_dir"]).resolve() == project.resolve()
    offered = {(a["title"], a["command"], a["target"]) for a in result["menu"]}
    assert (FIX_TEST, "microagent.fix", TARGET) in offered, result["menu"]

    [edit] = result["edits"]  # one workspace/applyEdit, versioned, for the buffer as it was
    assert edit["response"] == {"applied": True}
    [(name, version)] = [(Path(d["uri"]).name, d["version"]) for d in edit["documents"]]
    assert name == "sum.ts" and isinstance(version, int)

    text = "\n".join(result["source_lines"]) + "\n"
    assert FIXED in text, text
    assert text == SUM.replace("a - b", "a + b")  # the doc comment and product() kept
    assert result["source_modified"] is False  # :wall wrote it
    assert (project / SOURCE).read_text(encoding="utf-8") == text
    assert (project / TESTS).read_text(encoding="utf-8") == SUM_TEST

    [review] = [d for d in result["diagnostics"] if d["code"] == "review"]
    assert review["message"] == REVIEW_MESSAGE and review["lnum"] == REVIEW_LINE - 1
    assert result["test_diagnostics"] == []  # no test fails any more
    assert "solved" in result["progress"][-1]["message"], result["progress"][-5:]
    assert any(f"Edited {SOURCE}" in m for m in result["messages"]), result["messages"]

    after = vitest(project)
    assert after.returncode == 0 and "2 passed" in after.stdout, after.stdout + after.stderr
