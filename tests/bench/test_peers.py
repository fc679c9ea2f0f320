"""The peer comparison's own parts, with a scripted model and the process sandbox: the task
sets, scoring on the tests as shipped, microagent's side of a run, and a resumable results file."""

import json
from pathlib import Path

import pytest

from microagent.agents.config import load_config
from microagent.agents.runtime import RUNNER
from microagent.bench.peers.micro_agent import sandboxed_pytest
from microagent.bench.peers.run import MICROAGENT, PeerResults, run_microagent, score
from microagent.bench.peers.tasks import HUMANEVAL_TESTS, example_tasks, humaneval_tasks
from microagent.sandbox.process_backend import ProcessSandbox

CALC_FIX = """```python
# file: calc.py
def range_sum(start, stop):
    return sum(range(start, stop + 1))


def mean(values):
    return sum(values) / len(values)
```
"""


def test_task_sets():
    calc, textstats, inventory = example_tasks()
    assert (calc.edit, calc.tests) == ("calc.py", "test_calc.py")
    assert textstats.edit == "stats.py" and "words.py" in textstats.files
    assert inventory.target == "test_inventory.py"
    sample = humaneval_tasks(10)
    assert len(sample) == 10 and sample[0].name == "HumanEval/0"
    for task in sample:  # the docstring examples, as a test file that imports the solution
        assert task.files[HUMANEVAL_TESTS].count("def test_") >= 1
        assert f"from solution import {task.hidden.entry_point}" in task.files[HUMANEVAL_TESTS]
        assert "def check(" not in "".join(task.files.values())
    assert "HumanEval/80" not in {t.name for t in humaneval_tasks(164)}  # no docstring example


async def test_scoring_restores_tests_a_tool_changed():
    calc = example_tasks()[0]
    sandbox = ProcessSandbox(runner=RUNNER)
    cheat = {**calc.files, "test_calc.py": "def test_nothing():\n    pass\n"}
    result = await score(calc, cheat, sandbox)
    assert not result["solved"] and result["tests_changed"] and result["check"] == "2/6 tests passing"
    [problem] = [t for t in humaneval_tasks(10) if t.name == "HumanEval/0"]
    wrong = await score(problem, problem.files, sandbox)
    assert not wrong["solved"] and "AssertionError" in wrong["check"]["output"]


async def test_microagent_side_on_an_example(tmp_path, scripted):
    scripted.load([{"model": "coder", "reply": CALC_FIX}])
    config = load_config(None, overrides={"model": "scripted/coder", "loop.review": False,
                                          "loop.mutants": 0, "sandbox.backend": "process"},
                         env={})
    result = await run_microagent(example_tasks()[0], config, ProcessSandbox(runner=RUNNER))
    assert result["solved"] and result["status"] == "solved" and result["edited"] == ["calc.py"]
    assert result["iterations"] == 1 and result["check"] == "6/6 tests passing"

    results = PeerResults(tmp_path / "peers.json", {"max_iterations": 4})
    results.put("examples/calc", MICROAGENT, result)
    again = PeerResults(tmp_path / "peers.json", {"max_iterations": 4})
    assert again.has("examples/calc", MICROAGENT)
    summary = json.loads((tmp_path / "peers.json").read_text())["summary"]
    assert summary[MICROAGENT]["examples"]["solved"] == 1


def test_peer_tests_run_in_a_locked_down_container():
    command = sandboxed_pytest("test_calc.py")
    assert "--network none" in command and ":ro" in command and command.endswith("test_calc.py")


@pytest.mark.docker
def test_the_peer_s_test_command_sees_its_private_folder(tmp_path, monkeypatch):
    import shutil
    import subprocess

    from microagent.bench.peers import micro_agent
    from system_parts import missing_part

    shutil.which("docker") or missing_part("docker", "the peer's test command runs the docker CLI")

    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    (folder / "test_ok.py").write_text("def test_ok():\n    assert True\n")
    (folder / "ok.py").write_text("")
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda argv, **kw: calls.append(kw) or
                        subprocess.CompletedProcess(argv, 0, "", ""))
    micro_agent.run(Path("/nonexistent/cli.mjs"), folder, "ok.py", "test_ok.py", "true",
                    endpoint="http://127.0.0.1:9/v1", model="m", max_runs=1)
    monkeypatch.undo()
    done = subprocess.run(["sh", "-c", sandboxed_pytest("test_ok.py")], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr


def test_served_requests_without_max_tokens_get_the_cap():
    from llama_cpp.server.types import CreateChatCompletionRequest as Request

    from microagent.bench.peers.capped_server import set_default_max_tokens

    before = Request.model_fields["max_tokens"].default
    try:
        set_default_max_tokens(1024)
        assert Request(messages=[{"role": "user", "content": "hi"}]).max_tokens == 1024
        assert Request(messages=[{"role": "user", "content": "hi"}], max_tokens=7).max_tokens == 7
    finally:
        set_default_max_tokens(before)
