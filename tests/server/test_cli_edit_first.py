"""`microagent fix --apply` writes a proven fix before its review: the file holds the fix while
the Reviewer is still thinking, and stopping the review (Ctrl-C) leaves it written. The real
command, a scripted Coder and Reviewer, the process sandbox."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_cli_json import CALC, CALC_FIX

MICROAGENT = Path(sys.executable).with_name("microagent")
REVIEW = json.dumps([{"file": "calc.py", "line": 2, "severity": "info", "message": "fine"}])


def run_fix(tmp_path: Path, review_delay: float, *args: str) -> tuple[subprocess.Popen, Path]:
    project = tmp_path / "calc"
    shutil.copytree(CALC, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"replies": [
        {"model": "coder", "reply": CALC_FIX},
        {"model": "reviewer", "reply": REVIEW, "delay": review_delay},
        {"model": "tester", "reply": "no inputs", "repeat": True}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env |= {"MICROAGENT_SCRIPT": str(script), "MICROAGENT_CODER_MODEL": "scripted/coder",
            "MICROAGENT_REVIEWER_MODEL": "scripted/reviewer",
            "MICROAGENT_TESTER_MODEL": "scripted/tester", "MICROAGENT_MUTANTS": "0",
            "MICROAGENT_SCRIPT_LOG": str(tmp_path / "calls.jsonl"),
            "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    # Ctrl-C reaches the command as at a terminal, even where this test runs with SIGINT ignored
    # (a background job of a non-interactive shell: the child would inherit SIG_IGN).
    process = subprocess.Popen([str(MICROAGENT), "fix", "--apply", *args, "--backend", "process",
                                "-w", str(project)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return process, project


def wait_until_written(process: subprocess.Popen, project: Path) -> None:
    deadline = time.monotonic() + 240
    while "stop + 1" not in (project / "calc.py").read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the fix was never written"
        time.sleep(0.1)


def wait_until_asked(process: subprocess.Popen, log: Path, model: str) -> None:
    deadline = time.monotonic() + 240
    while f'"model": "{model}"' not in (log.read_text() if log.exists() else ""):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"the {model} was never asked"
        time.sleep(0.1)


def test_the_fix_is_written_while_the_review_runs_and_stays_when_it_is_stopped(tmp_path):
    process, project = run_fix(tmp_path, review_delay=600)
    try:
        wait_until_written(process, project)
        wait_until_asked(process, tmp_path / "calls.jsonl", "reviewer")
        assert process.poll() is None  # the review is still running
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "the fix above stands" in err
    assert "stop + 1" in (project / "calc.py").read_text()
    assert "+    return sum(range(start, stop + 1))" in out  # the diff was shown


def test_json_reports_the_time_to_edit_and_the_review_after_it(tmp_path):
    process, project = run_fix(tmp_path, 1, "--json")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, out + err
    result = json.loads(out)
    assert result["status"] == "solved" and [c["message"] for c in result["comments"]] == ["fine"]
    assert 0 < result["seconds"]["to_edit"] < result["seconds"]["total"]
    assert "wrote calc.py" in err
