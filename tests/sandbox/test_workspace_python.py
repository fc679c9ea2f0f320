"""The local sandboxes run a workspace's tests with the workspace's own interpreter: a project
whose tests import a package installed only in its .venv passes there, in a plain process and
in the bubblewrap jail, and fails with microagent's own Python. A broken choice is a message.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import system_parts
from microagent.sandbox.interpreter import workspace_python
from microagent.sandbox.process_backend import BubblewrapSandbox, ProcessSandbox
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import SandboxError
from microagent.languages.python.pytest_runner import PytestRunner

BACKENDS = {"process": ProcessSandbox, "bubblewrap": BubblewrapSandbox}
SITE = Path("lib") / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
TEST_FILE = "import tinydep\n\n\ndef test_the_dependency_answers():\n    assert tinydep.ANSWER == 42\n"


def make_venv(where: Path) -> Path:
    """A virtualenv made from microagent's Python, without pip; returns its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    return where / "bin" / "python"


def install_here(names: list[str], venv: Path) -> None:
    """Copy installed distributions and what they require into `venv`, file by file as their
    RECORD lists them: what pip did for microagent's own environment, without the network."""
    seen: set[str] = set()
    while names:
        dist = distribution(names.pop())
        if dist.metadata["Name"].lower() in seen:
            continue
        seen.add(dist.metadata["Name"].lower())
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if ".." in file.parts or not source.is_file():
                continue  # console scripts live outside site-packages
            target = venv / SITE / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                names.append(requirement.name)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A workspace whose .venv has pytest and `tinydep`, a package microagent does not have."""
    root = tmp_path_factory.mktemp("project")
    make_venv(root / ".venv")
    install_here(["pytest"], root / ".venv")
    (root / ".venv" / SITE / "tinydep.py").write_text("ANSWER = 42\n")
    (root / "test_uses_dep.py").write_text(TEST_FILE)
    return root


@pytest.fixture(params=["process", "bubblewrap"])
def backend(request):
    if request.param == "bubblewrap":
        system_parts.bwrap()
    return functools.partial(BACKENDS[request.param], runner=PytestRunner())


async def test_a_workspace_venv_runs_its_tests_with_its_own_packages(project, backend):
    box = backend()
    snapshot = read_workspace(project)
    environment = await box.prepare(snapshot)
    assert environment.python == str(project / ".venv" / "bin" / "python")
    assert environment.sources == ["the workspace's .venv"] and environment.status == "local"
    report = await box.run_tests(snapshot, timeout=60)
    assert report.ok, report.output
    assert [c.node_id for c in report.passed] == ["test_uses_dep.py::test_the_dependency_answers"]


async def test_a_command_runs_with_the_workspace_venv_without_prepare(project, backend):
    done = await backend().run(read_workspace(project),
                               ["python3", "-c", "import tinydep; print(tinydep.ANSWER)"])
    assert done.exit_code == 0 and done.output.strip() == "42", done.output


async def test_microagent_own_python_lacks_the_workspace_package(project, backend):
    box = backend(python_setting=sys.executable)
    snapshot = read_workspace(project)
    assert (await box.prepare(snapshot)).sources == ["sandbox.python"]
    report = await box.run_tests(snapshot, timeout=60)
    assert not report.ok and "ModuleNotFoundError: No module named 'tinydep'" in report.output


async def test_one_sandbox_gives_each_workspace_its_own_interpreter(project, backend, tmp_path):
    """The language server keeps one sandbox for every workspace folder it serves."""
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "test_plain.py").write_text("def test_plain():\n    assert True\n")
    box = backend()
    for root, python, why, ok in ((project, str(project / ".venv" / "bin" / "python"),
                                   "the workspace's .venv", True),
                                  (plain, sys.executable, "microagent's own Python", True)):
        snapshot = read_workspace(root)
        environment = await box.prepare(snapshot)
        assert (environment.python, environment.sources) == (python, [why])
        assert (await box.run_tests(snapshot, timeout=60)).ok is ok


async def test_a_relative_setting_is_taken_from_the_workspace_root(project):
    box = ProcessSandbox(python_setting=".venv/bin/python", runner=PytestRunner())
    environment = await box.prepare(read_workspace(project))
    assert environment.python == str(project / ".venv" / "bin" / "python")
    assert environment.sources == ["sandbox.python"]


async def test_a_setting_that_names_no_interpreter_says_what_to_set(project, backend):
    box = backend(python_setting="/nonexistent/bin/python")
    with pytest.raises(SandboxError, match="sandbox.python is '/nonexistent/bin/python'.*"
                                           "not an executable file: set sandbox.python"):
        await box.prepare(read_workspace(project))
    with pytest.raises(SandboxError, match="MICROAGENT_SANDBOX_PYTHON"):
        await box.run_tests(read_workspace(project))


async def test_an_interpreter_without_pytest_says_how_to_add_it(backend, tmp_path):
    python = make_venv(tmp_path / ".venv")
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    with pytest.raises(SandboxError) as caught:
        await backend().run_tests(read_workspace(tmp_path), timeout=60)
    assert str(caught.value) == (
        f"The Python that runs this workspace's tests, {python}, cannot import pytest: run "
        f"`{python} -m pip install pytest`, or set sandbox.python to an interpreter that has it.")


async def test_the_jail_binds_the_venv_read_only_and_nothing_else_of_the_workspace(project):
    system_parts.bwrap()
    code = ("import os, sys, tinydep\n"
            f"print(os.path.exists({str(project / 'test_uses_dep.py')!r}),"
            " os.access(sys.prefix, os.W_OK), os.path.exists(sys.prefix + '/' + 'pyvenv.cfg'))\n")
    done = await BubblewrapSandbox(runner=PytestRunner()).run(read_workspace(project), ["python3", "-c", code])
    assert done.exit_code == 0, done.output
    assert done.output.split() == ["False", "False", "True"]


async def test_the_jail_refuses_an_interpreter_whose_folder_holds_the_workspace(tmp_path):
    system_parts.bwrap()
    make_venv(tmp_path / "wide")
    root = tmp_path / "wide" / "project"
    root.mkdir()
    (root / "test_x.py").write_text("def test_x():\n    pass\n")
    box = BubblewrapSandbox(python_setting="../bin/python", runner=PytestRunner())
    with pytest.raises(SandboxError, match="holds the workspace or your home directory"):
        await box.prepare(read_workspace(root))


def test_the_workspace_venv_is_found_in_order(tmp_path):
    def interpreter(folder: str, cfg: bool = False) -> str:
        path = tmp_path / folder / "bin" / "python"
        path.parent.mkdir(parents=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
        if cfg:
            (tmp_path / folder / "pyvenv.cfg").write_text("home = /usr/bin\n")
        return str(path)

    assert workspace_python(str(tmp_path), None) == (sys.executable, "microagent's own Python")
    env = interpreter("env", cfg=True)
    assert workspace_python(str(tmp_path), None) == (env, "the workspace's env")
    venv = interpreter("venv")
    assert workspace_python(str(tmp_path), None) == (venv, "the workspace's venv")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to("/nonexistent/python3")
    assert workspace_python(str(tmp_path), None) == (venv, "the workspace's venv")
    os.remove(venv)
    assert workspace_python(str(tmp_path), None)[1] == "the workspace's env"
    os.remove(env)
    assert workspace_python(str(tmp_path), None, fallback="/opt/py/bin/python3") == (
        "/opt/py/bin/python3", "the sandbox's default Python (.venv/bin/python, "
        "venv/bin/python, env/bin/python not runnable)")


def test_the_command_line_runs_a_project_with_its_own_venv(project, backend):
    from click.testing import CliRunner

    from microagent.server.cli.main import main

    name = backend.func.name
    result = CliRunner().invoke(main, ["sandbox", "test", str(project), "--backend", name])
    assert result.exit_code == 0, result.output
    assert f"{name}: the local interpreter from the workspace's .venv" in result.output
    assert "1/1 tests passing" in result.output
    result = CliRunner().invoke(main, ["sandbox", "test", str(project), "--backend", name,
                                       "--python", "no/such/python"])
    assert result.exit_code != 0 and "not an executable file" in result.output
