"""Neovim end to end: headless Neovim loads the plugin from this repository, starts the real
`microagent-lsp` (scripted models, process sandbox), offers the micro-agent code actions on a
failing test of examples/calc, runs :MicroAgentFix, applies the versioned edit, shows the
reviewer's comment as a diagnostic, and after :wall the project's tests pass."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nvim_session import (FIXED, REVIEW_LINE, REVIEW_MESSAGE, copy_calc, nvim_command,
                          server_env)
from system_parts import nvim

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
LIMIT = 180  # seconds for the whole Neovim session; it takes about 15 s on an idle machine


def pytest_passes(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=root, capture_output=True, text=True, timeout=300)


def run_session(tmp_path: Path, project: Path) -> dict:
    results = tmp_path / "result.json"
    env = server_env(tmp_path) | {"MICROAGENT_E2E_RESULT": str(results),
                                  "MICROAGENT_E2E_TIMEOUT": str((LIMIT - 60) * 1000)}
    started = time.monotonic()
    try:
        done = subprocess.run(nvim_command(nvim()), cwd=project, env=env, capture_output=True,
                              text=True, timeout=LIMIT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        seen = results.read_text() if results.exists() else "(no result file)"
        pytest.fail(f"Neovim did not exit within {LIMIT} s.\nresult file: {seen}\n"
                    f"stderr: {exc.stderr}", pytrace=False)
    if not results.exists():
        pytest.fail(f"Neovim exited ({done.returncode}) after {time.monotonic() - started:.0f} s "
                    f"without writing {results.name}.\nstdout: {done.stdout[-3000:]}\n"
                    f"stderr: {done.stderr[-3000:]}", pytrace=False)
    result = json.loads(results.read_text(encoding="utf-8"))
    if result.get("error"):
        pytest.fail(_readable(result), pytrace=False)
    return result


def _readable(result: dict) -> str:
    lines = [f"Neovim session failed: {result['error']}", "", "steps:"]
    lines += [f"  {s}" for s in result.get("steps", [])]
    lines += ["progress:"] + [f"  {p.get('kind')}: {p.get('title') or ''} {p.get('message') or ''}"
                              for p in result.get("progress", [])]
    lines += ["messages:"] + [f"  {m}" for m in result.get("messages", [])]
    lines += ["server log (last 30 lines):"] + [f"  {m}" for m in result.get("log", [])[-30:]]
    return "\n".join(lines)


def test_a_fix_from_neovim(tmp_path):
    project = copy_calc(tmp_path)
    before = pytest_passes(project)
    assert "4 failed, 2 passed" in before.stdout, before.stdout

    result = run_session(tmp_path, project)

    assert result["filetype"] == "python"
    assert result["client"]["name"] == "microagent"
    assert Path(result["client"]["root_dir"]).resolve() == project.resolve()
    offered = {(a["title"], a["command"], a["target"]) for a in result["code_actions"]}
    assert ("Make this test pass (micro-agent)", "microagent.fix",
            "test_calc.py::test_mean") in offered, result["code_actions"]
    assert ("Make the failing tests in this file pass", "microagent.fix",
            "test_calc.py") in offered, result["code_actions"]
    assert result["plugin_target"] == "test_calc.py::test_mean"  # :MicroAgentFix aimed there too

    [edit] = result["edits"]  # one workspace/applyEdit, versioned, for the buffer as it was
    assert edit["response"] == {"applied": True}
    [(name, version)] = [(Path(d["uri"]).name, d["version"]) for d in edit["documents"]]
    assert name == "calc.py" and isinstance(version, int)

    calc = "\n".join(result["calc_lines"]) + "\n"
    assert FIXED in calc, calc
    assert calc.startswith('"""Small arithmetic helpers."""')  # the rest of the file kept
    assert "def clamp(value, low, high):" in calc
    assert result["calc_modified"] is False  # :wall wrote it
    assert (project / "calc.py").read_text(encoding="utf-8") == calc

    [review] = [d for d in result["diagnostics"] if d["code"] == "review"]
    assert review["message"] == REVIEW_MESSAGE
    assert review["lnum"] == REVIEW_LINE - 1
    assert review["severity"] == 2  # vim.diagnostic.severity.WARN
    assert result["test_diagnostics"] == []  # no test fails any more

    kinds = [p["kind"] for p in result["progress"]]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
    assert "solved" in result["progress"][-1]["message"]
    assert any("Edited calc.py" in m for m in result["messages"]), result["messages"]

    after = pytest_passes(project)
    assert after.returncode == 0 and "6 passed" in after.stdout, after.stdout + after.stderr
