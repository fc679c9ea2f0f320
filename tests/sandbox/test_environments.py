"""The workspace's environment in the Docker sandbox, with the real engine and the real pip.

The wheels come from a local wheel cache filled on the host: the test dependencies are built
here from source, pip's and setuptools' own wheels are fetched once per machine, and pip then
runs with the user's configuration pointing at that cache only (PIP_NO_INDEX, PIP_FIND_LINKS).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from local_wheels import offline_pip_env
from microagent.sandbox.types import EnvironmentFailed, WorkspaceSnapshot
from microagent.languages.python.pytest_runner import PytestRunner

pytestmark = pytest.mark.docker


@pytest.fixture
def offline_pip(wheelhouse, monkeypatch) -> Path:
    """The user's pip configuration: no index, only the local wheel cache."""
    for name, value in offline_pip_env(wheelhouse).items():
        monkeypatch.setenv(name, value)
    return wheelhouse


@pytest.fixture
async def box(docker_client, owned_containers, offline_pip, tmp_path):
    """A Docker sandbox whose environments go to a fresh cache; its images are removed after."""
    from microagent.sandbox.docker_backend import DockerSandbox
    from microagent.sandbox.env_image import KEY_LABEL

    before = {i.id for i in docker_client.images.list(filters={"label": KEY_LABEL})}
    sandbox = DockerSandbox(env_cache=tmp_path / "envs", runner=PytestRunner())
    yield sandbox
    await sandbox.close()
    for image in docker_client.images.list(filters={"label": KEY_LABEL}):
        if image.id not in before:
            docker_client.images.remove(image.id, force=True)
    assert owned_containers() == []


def workspace(root: Path, files: dict[str, str]) -> WorkspaceSnapshot:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text))
    from microagent.sandbox.snapshot import read_workspace

    return read_workspace(root)


PROJECT = """\
    [project]
    name = "rects"
    version = "0.1.0"
    dependencies = ["mdep<2"]

    [build-system]
    requires = ["setuptools>=64"]
    build-backend = "setuptools.build_meta"

    [tool.setuptools]
    py-modules = ["rects"]
    """
RECTS = "import mdep\n\n\ndef area(w, h):\n    return mdep.double(w) * h // 2 + 1\n"
TEST = "from rects import area\n\n\ndef test_area():\n    assert area(2, 3) == 6\n"


async def test_a_declared_dependency_is_installed_and_the_second_run_reuses_it(box, tmp_path):
    snapshot = workspace(tmp_path / "ws", {"pyproject.toml": PROJECT, "rects.py": RECTS,
                                           "test_rects.py": TEST})
    lines: list[str] = []
    first = await box.prepare(snapshot, lines.append)
    assert first.status == "built" and "mdep==1.0" in first.installed
    assert any("mdep" in line for line in lines), "pip's progress reaches the caller"
    report = await box.run_tests(snapshot)
    assert report.status.value == "completed" and len(report.failed) == 1  # the bug, not an import
    fixed = snapshot.with_files({"rects.py": RECTS.replace(" + 1", "")})
    assert (await box.run_tests(fixed)).ok

    from microagent.sandbox.docker_backend import DockerSandbox

    again = DockerSandbox(env_cache=box.environments.cache, runner=PytestRunner())
    try:
        second = await again.prepare(snapshot)
        assert second.status == "cached" and second.image == first.image
    finally:
        await again.close()


async def test_a_src_layout_imports_as_in_the_users_venv(box, tmp_path):
    snapshot = workspace(tmp_path / "ws", {
        "pyproject.toml": PROJECT.replace('dependencies = ["mdep<2"]', "dependencies = []")
                                 .replace('py-modules = ["rects"]', 'package-dir = {"" = "src"}'),
        "src/geom/__init__.py": "from geom.shapes import area\n",
        "src/geom/shapes.py": "def area(w, h):\n    return w + h\n",
        "tests/test_area.py": "from geom import area\n\n\ndef test_area():\n"
                              "    assert area(2, 3) == 6\n",
    })
    environment = await box.prepare(snapshot)
    assert environment.status == "built" and "rects==0.1.0" in environment.installed
    report = await box.run_tests(snapshot)
    assert [c.message for c in report.failed] == ["assert 5 == 6\n +  where 5 = area(2, 3)"]
    fixed = snapshot.with_files({"src/geom/shapes.py": "def area(w, h):\n    return w * h\n"})
    assert (await box.run_tests(fixed)).ok  # the editable install sees each run's copy


async def test_a_lock_file_pins_the_version(box, tmp_path):
    lock = '[[package]]\nname = "mdep"\nversion = "1.0"\n\n[[package]]\nname = "rects"\n' \
           'version = "0.1.0"\nsource = { editable = "." }\n'
    unpinned = PROJECT.replace('"mdep<2"', '"mdep"')  # 2.0 without the lock
    snapshot = workspace(tmp_path / "ws", {"pyproject.toml": unpinned, "uv.lock": lock,
                                           "rects.py": RECTS, "test_rects.py": TEST})
    environment = await box.prepare(snapshot)
    assert "mdep==1.0" in environment.installed and "uv.lock" in environment.sources


async def test_a_requirements_file_and_a_declared_pytest_plugin(box, tmp_path):
    snapshot = workspace(tmp_path / "ws", {
        "requirements-dev.txt": "mdep<2\npytest-answer  # a fixture plugin\n",
        "test_plugin.py": "import mdep\n\n\ndef test_answer(answer):\n"
                          "    assert mdep.double(answer) == 84\n",
    })
    environment = await box.prepare(snapshot)
    assert {"mdep==1.0", "pytest-answer==1.0"} <= set(environment.installed)
    assert (await box.run_tests(snapshot)).ok  # the plugin's fixture is there


async def test_requires_python_the_image_cannot_meet_says_what_to_set(box, tmp_path):
    snapshot = workspace(tmp_path / "ws", {
        "pyproject.toml": PROJECT.replace('version = "0.1.0"',
                                          'version = "0.1.0"\nrequires-python = ">=3.99"'),
        "rects.py": RECTS, "test_rects.py": TEST})
    with pytest.raises(EnvironmentFailed, match=r"requires Python >=3\.99.*sandbox\.image"):
        await box.prepare(snapshot)


async def test_a_requirement_pip_cannot_find_fails_with_pips_error(box, tmp_path):
    snapshot = workspace(tmp_path / "ws", {
        "pyproject.toml": PROJECT.replace('["mdep<2"]', '["no-such-dist-xyz"]'),
        "rects.py": RECTS, "test_rects.py": TEST})
    with pytest.raises(EnvironmentFailed, match="no-such-dist-xyz"):
        await box.prepare(snapshot)
    assert box.environments.describe(snapshot)["state"] == "failed"


async def test_a_changed_dependency_file_builds_nothing_during_a_run(box, docker_client,
                                                                     tmp_path):
    from microagent.sandbox.env_image import KEY_LABEL

    snapshot = workspace(tmp_path / "ws", {"pyproject.toml": PROJECT, "rects.py": RECTS,
                                           "test_rects.py": TEST})
    await box.prepare(snapshot)
    images = {i.id for i in docker_client.images.list(filters={"label": KEY_LABEL})}
    candidate = snapshot.with_files({"pyproject.toml": PROJECT.replace('["mdep<2"]', '[]'),
                                     "rects.py": RECTS.replace(" + 1", "")})
    assert (await box.run_tests(candidate)).ok  # the prepared environment, unchanged
    assert {i.id for i in docker_client.images.list(filters={"label": KEY_LABEL})} == images


async def test_a_new_layer_replaces_the_workspaces_stale_one(box, docker_client, tmp_path):
    from microagent.sandbox.env_image import KEY_LABEL

    root = tmp_path / "ws"
    first = await box.prepare(workspace(root, {"pyproject.toml": PROJECT, "rects.py": RECTS,
                                               "test_rects.py": TEST}))
    second = await box.prepare(workspace(root, {"requirements.txt": "pytest-answer\n"}))
    assert second.image != first.image
    tags = {t for i in docker_client.images.list(filters={"label": KEY_LABEL}) for t in i.tags}
    assert second.image in tags and first.image not in tags


@pytest.fixture
def image_without_pytest(docker_client):
    """A devcontainer-like image on the engine: the sandbox image with pytest taken out."""
    from microagent.sandbox.image_build import DEFAULT_IMAGE

    tag = "microagent-test-devcontainer:no-pytest"
    container = docker_client.containers.run(
        DEFAULT_IMAGE, ["sh", "-c", "rm -rf /usr/lib/python3/dist-packages/*pytest*"],
        user="0:0", detach=True, network_mode="none")
    container.wait()
    container.commit(*tag.split(":"))
    container.remove(force=True)
    yield tag
    docker_client.images.remove(tag, force=True)


async def test_the_devcontainer_image_is_the_base_and_gets_pytest(box, docker_client, tmp_path,
                                                                image_without_pytest):
    from microagent.sandbox.docker_backend import DockerSandbox

    snapshot = workspace(tmp_path / "ws", {
        ".devcontainer/devcontainer.json": '{\n  // VS Code\'s JSON with comments\n'
        f'  "image": "{image_without_pytest}", /* used as is */\n  "name": "https://x",\n}}\n',
        "test_one.py": "def test_one():\n    assert 1 + 1 == 2\n"})
    chosen = DockerSandbox(env_cache=box.environments.cache, devcontainer=True, runner=PytestRunner())
    try:
        environment = await chosen.prepare(snapshot)
        assert environment.status == "built"
        assert any(n.startswith("pytest==") for n in environment.installed)
        assert (await chosen.run_tests(snapshot)).ok
        image = docker_client.images.get(environment.image)
        assert image.labels["microagent.base"] == image_without_pytest
    finally:
        await chosen.close()
    assert (await box.prepare(snapshot)).status == "plain"  # sandbox.image named: not used


def test_a_devcontainer_that_builds_or_does_not_parse_names_no_image():
    from microagent.sandbox.devcontainer import devcontainer_image

    def image(text: str) -> str | None:
        return devcontainer_image(WorkspaceSnapshot(files={".devcontainer.json": text.encode()}))

    assert image('{"build": {"dockerfile": "Dockerfile"}}') is None
    assert image("{ not json") is None
    assert image('{"image": "python:3.12" // pinned\n}') == "python:3.12"
