"""vitest and jest projects with npm lockfiles, run in the real Docker sandbox on the Node image:
node_modules installed from the lockfile with no network, once, and the tests' outcomes.

The lockfiles are made here with the host's npm (the registry, once a session), as a user's
`npm install` would; the Node image is built first when the engine lacks it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from js_projects import RUNNERS, project, spec_path, target
from microagent.languages.typescript.detect import detect_runner
from microagent.sandbox.types import EnvironmentFailed, Outcome, ReportStatus, WorkspaceSnapshot

import system_parts

pytestmark = [pytest.mark.docker, pytest.mark.node]
VERSIONS = {"vitest": "3.2.7", "jest": "30.5.2"}  # scripts/js-runners.sh's


def say(line: str) -> None:
    print(line, file=sys.__stderr__)


@pytest.fixture(scope="session")
def node_image(docker_client) -> str:
    """The Node image, built now (about a minute, as root with debootstrap) if missing."""
    from microagent.sandbox.image_build import image_present
    from microagent.sandbox.node_image import NODE_IMAGE, build_node_image
    from microagent.sandbox.types import SandboxError

    if not image_present(docker_client, NODE_IMAGE):
        if os.geteuid() != 0 or shutil.which("debootstrap") is None:
            system_parts.missing(f"the Node sandbox image {NODE_IMAGE} is not built: run "
                                 "`sudo .venv/bin/python -m microagent.sandbox.node_image`")
        began = time.monotonic()
        try:
            build_node_image(docker_client)
        except SandboxError as exc:
            system_parts.missing(f"the Node sandbox image could not be built: {exc}")
        say(f"[measure] Node image built in {time.monotonic() - began:.1f} s")
    return NODE_IMAGE


@pytest.fixture(scope="session")
def lockfiles(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Each runner's package.json (its runner pinned in devDependencies) and the lockfile the
    host's npm resolves for it."""
    if shutil.which("npm") is None:
        system_parts.missing("missing npm on the host (the Node sandbox fetches with it): "
                             "sudo apt-get install npm")
    made = {}
    for name in RUNNERS:
        folder = tmp_path_factory.mktemp(f"lock-{name}")
        manifest = json.loads(project(name).text("package.json"))
        manifest["devDependencies"] = {name: VERSIONS[name]}
        (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
        subprocess.run(["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit",
                        "--no-fund"], cwd=folder, check=True, capture_output=True, timeout=300)
        made[name] = ((folder / "package.json").read_text(),
                      (folder / "package-lock.json").read_text())
    return made


@pytest.fixture(scope="session")
def env_cache(tmp_path_factory, docker_client, node_image):
    """One npm cache and layer cache for the session; the Node layers it built are removed
    after (ids only: listing whole images inspects each, which fails on one removed meanwhile
    by another run on the same engine)."""
    import docker.errors

    from microagent.sandbox.env_image import BASE_LABEL

    def node_layers() -> set[str]:
        return set(docker_client.api.images(quiet=True, filters={"label": f"{BASE_LABEL}={node_image}"}))

    before = node_layers()
    yield tmp_path_factory.mktemp("node-envs")
    for image in node_layers() - before:
        try:
            docker_client.images.remove(image, force=True)
        except docker.errors.NotFound:
            pass  # removed already


@pytest.fixture
async def node_box(docker_client, owned_containers, node_image, env_cache):
    """A function making a Node Docker sandbox for a runner; all closed after the test, and the
    test fails if one leaves a container."""
    from microagent.sandbox.node_sandbox import NODE_MODULES, node_docker_sandbox

    made = []

    def make(snapshot: WorkspaceSnapshot, **options):
        files = {path: data.decode() for path, data in snapshot.files.items()}
        runner = detect_runner(files).test_runner(modules=NODE_MODULES)
        made.append(node_docker_sandbox(runner, env_cache=env_cache, **options))
        return made[-1]

    yield make
    for box in made:
        await box.close()
    assert owned_containers() == []


def locked(name: str, lockfiles, root: Path, **kwargs) -> WorkspaceSnapshot:
    """The js_projects project for `name`, with its package.json and lockfile, at `root`."""
    manifest, lock = lockfiles[name]
    snapshot = project(name, extra={"package.json": manifest, "package-lock.json": lock},
                       **kwargs)
    return snapshot.model_copy(update={"root": str(root / name)})


async def test_the_node_image_runs_node_24_and_npm_as_the_runner_user(lockfiles, node_box,
                                                                      tmp_path):
    snapshot = locked("vitest", lockfiles, tmp_path)
    result = await node_box(snapshot).run(
        snapshot, ["sh", "-c", "id -u; node --version; npm --version; touch /usr/local/bin/x"])
    uid, node, npm, refused = result.output.splitlines()
    assert (uid, node.split(".")[0], npm.split(".")[0]) == ("1000", "v24", "11")
    assert "Read-only file system" in refused and result.exit_code != 0


@pytest.mark.parametrize("name", RUNNERS)
async def test_a_failing_test_fails_and_the_fixed_code_passes_in_the_container(
        name, lockfiles, node_box, tmp_path):
    snapshot = locked(name, lockfiles, tmp_path)
    box = node_box(snapshot)
    environment = await box.prepare(snapshot, say)
    assert f"{name}=={VERSIONS[name]}" in environment.installed

    began = time.monotonic()
    report = await box.run_tests(snapshot, timeout=120)
    say(f"[measure] {name}: one test run in the container took {time.monotonic() - began:.1f} s")
    assert report.backend == "docker" and report.status == ReportStatus.completed, report.output
    assert [(c.node_id, c.outcome) for c in report.cases] == [(target(name), Outcome.failed)]

    fixed = locked(name, lockfiles, tmp_path, body="return a + b")
    report = await box.run_tests(fixed, timeout=120)
    assert report.ok, report.output
    assert [(c.node_id, c.outcome) for c in report.cases] == [(target(name), Outcome.passed)]


async def test_the_second_prepare_reuses_the_node_modules_layer(lockfiles, node_box, tmp_path,
                                                                docker_client):
    from microagent.sandbox.env_image import KEY_LABEL

    snapshot = locked("vitest", lockfiles, tmp_path, body="return a + b")
    for image in docker_client.images.list(filters={"label": KEY_LABEL}):
        if image.labels.get("microagent.base", "").startswith("microagent-sandbox:node"):
            docker_client.images.remove(image.id, force=True)  # a first prepare, from scratch
    began = time.monotonic()
    first = await node_box(snapshot).prepare(snapshot, say)
    middle = time.monotonic()
    again = node_box(snapshot)  # a new sandbox, as a restarted server would make
    second = await again.prepare(snapshot, say)
    say(f"[measure] vitest node_modules: first prepare {middle - began:.1f} s, second "
        f"{time.monotonic() - middle:.2f} s")
    assert (first.status, second.status) == ("built", "cached")
    assert second.image == first.image and second.installed == first.installed
    assert (await again.run_tests(snapshot, timeout=120)).ok


async def test_a_project_without_a_lockfile_is_told_to_commit_one(node_box):
    snapshot = project("vitest")
    box = node_box(snapshot)
    with pytest.raises(EnvironmentFailed, match="no package-lock.json.*commit package-lock.json"):
        await box.run_tests(snapshot, timeout=60)


HOSTILE = """
import { test, expect } from 'vitest'
import { add } from './calc'

test('reaches the registry', async () => {
  const signal = AbortSignal.timeout(10000)
  const answer = await fetch('https://registry.npmjs.org/vitest', { signal })
  expect(answer.ok).toBe(true)
})

test('reaches an address without a name', async () => {
  const net = process.getBuiltinModule('net')
  const reached = await new Promise((resolve) => {
    const socket = net.connect({ host: '1.1.1.1', port: 80, timeout: 5000 })
    socket.on('connect', () => { socket.destroy(); resolve(true) })
    socket.on('error', () => resolve(false))
    socket.on('timeout', () => { socket.destroy(); resolve(false) })
  })
  expect(reached).toBe(true)
})

test('rewrites the installed runner', () => {
  const fs = process.getBuiltinModule('fs')
  fs.appendFileSync(process.cwd() + '/node_modules/vitest/package.json', ' ')
})

test('adds', () => {
  expect(add(1, 2)).toBe(-1)
})
"""


async def test_a_test_trying_the_network_or_the_installed_packages_fails(lockfiles, node_box,
                                                                         tmp_path):
    snapshot = locked("vitest", lockfiles, tmp_path, header="", tests=HOSTILE)
    report = await node_box(snapshot).run_tests(snapshot, timeout=120)
    outcomes = {c.node_id: c.outcome for c in report.cases}
    assert report.status == ReportStatus.completed, report.output
    assert outcomes == {
        f"{spec_path('vitest')}::reaches the registry": Outcome.failed,
        f"{spec_path('vitest')}::reaches an address without a name": Outcome.failed,
        f"{spec_path('vitest')}::rewrites the installed runner": Outcome.failed,
        f"{spec_path('vitest')}::adds": Outcome.passed,
    }
    messages = " ".join(c.message for c in report.cases)
    # node_modules is root's and on the read-only root: EACCES comes first
    assert "fetch failed" in messages and ("EACCES" in messages or "EROFS" in messages), messages


def without_dependencies(root: Path) -> WorkspaceSnapshot:
    """A vitest project whose package.json and lockfile name no package at all."""
    snapshot = project("vitest", body="return a + b", extra={"package-lock.json": json.dumps(
        {"name": "calc", "lockfileVersion": 3, "requires": True, "packages": {"": {
            "name": "calc"}}})})
    return snapshot.model_copy(update={"root": str(root / "bare")})


async def test_a_lockfile_without_the_runner_says_so_or_gets_the_pinned_fallback(node_box,
                                                                                 tmp_path):
    snapshot = without_dependencies(tmp_path)
    report = await node_box(snapshot).run_tests(snapshot, timeout=120)
    assert not report.ok and "vitest is not installed in" in report.output, report.output

    box = node_box(snapshot, fallback_runner="vitest")
    began = time.monotonic()
    environment = await box.prepare(snapshot, say)
    say(f"[measure] vitest added to a lockfile without it: prepare "
        f"{time.monotonic() - began:.1f} s ({environment.status})")
    assert "vitest@3.2.7 (added: the lockfile has none)" in environment.sources
    assert environment.installed == ["vitest==3.2.7"]
    report = await box.run_tests(snapshot, timeout=120)
    assert report.ok, report.output
