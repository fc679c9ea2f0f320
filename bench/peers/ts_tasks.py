"""bench/ts-set's tasks as micro-agent runs: the file it rewrites, the test file it is shown, and
the test command, which runs the project's own runner in a container of the project's
node_modules layer, the one our Node sandbox scores with. Reading a task never calls a model.

The file is the bug's own (`task.file`): an oracle hint, as micro-agent rewrites exactly one
file it is given, while microagent is told only that the tests fail. The results say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docker

from microagent.bench.peers.micro_agent import sandboxed_node
from microagent.bench.real import BenchError, RealTask
from microagent.languages.typescript.detect import NoTestRunner, detect_runner
from microagent.languages.typescript.node_runner import TARGET_SEPARATOR, RunnerName
from microagent.sandbox.node_env import NodeEnvironments
from microagent.sandbox.node_image import NODE_IMAGE
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Progress, SandboxError

ORACLE_NOTE = ("micro-agent is handed the bug's own file (task.file) to rewrite, an oracle hint "
               "microagent does not get: microagent is told only that the suite fails")


@dataclass(frozen=True)
class PeerJob:
    """What micro-agent is started with on one task's workspace."""

    file: str  # the one file it rewrites: the bug's
    test_file: str  # `-f`: the first expected failing test's file
    runner: RunnerName  # what the test command starts, as detect.py finds it

    def test_command(self, image: str) -> str:
        """`-t`: the runner on the test file, in a locked-down container of `image`."""
        return sandboxed_node(self.test_file, self.runner, image)


def peer_job(task: RealTask, root: Path) -> PeerJob:
    """The job for `task` on its workspace at `root` (a prepared copy, or the project itself);
    BenchError when the task names a file that is not there or the project names no runner."""
    if not task.expected_failing:
        raise BenchError(f"{task.name}: bug.toml lists no expected failing test, so there is no "
                         "test file to show micro-agent")
    test_file = task.expected_failing[0].partition(TARGET_SEPARATOR)[0]
    for path in (task.file, test_file):
        if not (root / path).is_file():
            raise BenchError(f"{task.name}: {path} is not in {root}; check bug.toml")
    snapshot = read_workspace(root)
    texts = {path: data.decode("utf-8", "replace") for path, data in snapshot.files.items()
             if "/" not in path}  # the manifest and the runners' configs sit at the root
    try:
        runner = detect_runner(texts).runner
    except NoTestRunner as exc:
        raise BenchError(f"{task.name}: {exc}") from None
    return PeerJob(task.file, test_file, runner)


def _quiet(line: str) -> None:
    pass


def node_layer(root: Path, client: docker.DockerClient, *, cache: Path | None = None,
               progress: Progress = _quiet) -> str:
    """The image of the project's node_modules layer, found or built as the Node sandbox does
    (same lockfile key, same cache), so micro-agent's test runs load the modules ours score
    with. BenchError, saying why, when the Node image or the lockfile is missing."""
    layers = NodeEnvironments(client, NODE_IMAGE, cache=cache)
    try:
        return layers.prepare(read_workspace(root), progress).image
    except SandboxError as exc:  # EnvironmentFailed too: no lockfile, npm could not fetch
        raise BenchError(f"{root.name}: no node_modules layer: {exc}") from None
