"""A module or a system library the environment lacks is not a bug: the loop ends the run
`failed` with a message that says what fixes it, before any model is asked. A module the
workspace itself provides, or one the code names only at run time, is still the code's."""

import asyncio

import pytest

from microagent.agents.environment_errors import environment_error
from microagent.agents.runtime import RUNNER
from microagent.agents.types import RunStatus, Task, TaskKind
from microagent.sandbox.dependencies import read_declared
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Outcome, ReportStatus, TestCase, TestReport
from loop_support import fenced, make_loop

MISSING = "some_module_that_does_not_exist_xyz"
APP = f"import {MISSING}\n\n\ndef add(a, b):\n    return a - b\n"
TEST_APP = "from app import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"


def write(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


async def fix(root, scripted, **env):
    scripted.load([{"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n",
                                                       "app.py"), "repeat": True},
                   {"model": "reviewer", "reply": "[]", "repeat": True}])
    return await make_loop(root, MICROAGENT_MAX_ITERATIONS="2", **env).run(
        Task(kind=TaskKind.fix, root=str(root)))


def report_of(root):
    """The process sandbox's report on the workspace at `root`, with the snapshot it ran."""
    async def run():
        box = ProcessSandbox(runner=RUNNER)
        snapshot = read_workspace(str(root), {})
        return await box.run_tests(snapshot), snapshot, await box.prepare(snapshot)
    return asyncio.run(run())


async def test_a_module_nobody_installed_ends_the_run_before_any_model_call(tmp_path, scripted):
    root = write(tmp_path, {"app.py": APP, "test_app.py": TEST_APP})
    result = await fix(root, scripted)

    assert result.status == RunStatus.failed
    assert scripted.calls == [] and result.iterations == 0 and result.edits == []
    message = result.message
    assert f"cannot import {MISSING}, which app.py imports" in message
    assert "not in the workspace and not installed in the process sandbox" in message
    assert "The project does not declare it" in message
    assert f"-m pip install {MISSING.replace('_', '-')}" in message
    assert result.environment.python in message  # the interpreter the tests run with
    assert "sandbox.python" in message
    assert result.initial_report.status == ReportStatus.collection_error


@pytest.mark.parametrize("declare, where", [
    ('[project]\nname = "app"\nversion = "0"\ndependencies = ["nonexistent-dist-xyz>=1"]\n',
     "pyproject.toml [project] dependencies"),
    (None, "requirements.txt"),
])
async def test_a_declared_module_that_is_missing_says_where_it_is_declared(tmp_path, scripted,
                                                                           declare, where):
    files = {"app.py": APP.replace(MISSING, "nonexistent_dist_xyz"), "test_app.py": TEST_APP}
    files.update({"pyproject.toml": declare} if declare else
                 {"requirements.txt": "nonexistent_dist_xyz==1.0\n"})
    result = await fix(write(tmp_path, files), scripted)

    assert result.status == RunStatus.failed and scripted.calls == []
    assert f"The project declares it as nonexistent-dist-xyz ({where})" in result.message
    assert "-m pip install nonexistent-dist-xyz" in result.message


@pytest.mark.parametrize("files", [
    {"src/app/__init__.py": "def add(a, b):\n    return a - b\n",  # src/ not on sys.path
     "tests/test_app.py": TEST_APP},
    {"lib/helpers.py": "def add(a, b):\n    return a - b\n",
     "app.py": "from helpers import add\n", "test_app.py": TEST_APP},
], ids=["src-layout", "a-local-module-off-the-path"])
async def test_a_module_the_workspace_has_is_the_codes_to_fix(tmp_path, scripted, files):
    result = await fix(write(tmp_path, files), scripted)

    assert result.initial_report.status == ReportStatus.collection_error
    assert "No module named" in "\n".join(result.initial_report.collection_errors)
    assert "not in the workspace" not in result.message
    assert any(c["model"] == "coder" for c in scripted.calls)  # the Coder was asked


async def test_a_module_named_only_at_run_time_is_the_codes_to_fix(tmp_path, scripted):
    root = write(tmp_path, {
        "app.py": "import importlib\n\n\ndef load(name):\n    return importlib.import_module("
                  "name.upper())\n\n\ndef add(a, b):\n    return a - b\n",
        "test_app.py": "from app import add, load\n\n\ndef test_load():\n    assert load('json')"
                       "\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"})
    result = await fix(root, scripted)

    assert "No module named 'JSON'" in result.initial_report.failed[0].message
    assert "not in the workspace" not in result.message
    assert any(c["model"] == "coder" for c in scripted.calls)


def test_the_docker_sandbox_says_to_declare_a_module_or_to_look_at_its_build(tmp_path):
    root = write(tmp_path, {"app.py": APP, "test_app.py": TEST_APP})
    report, snapshot, _ = report_of(root)
    in_docker = report.model_copy(update={"backend": "docker"})

    undeclared = environment_error(in_docker, snapshot, read_declared(snapshot))
    assert "add some-module-that-does-not-exist-xyz to [project] dependencies" in undeclared
    assert "requirements.txt" in undeclared and "sandbox.requirements" in undeclared

    declared = environment_error(in_docker, snapshot,
                                 read_declared(snapshot, [MISSING.replace("_", "-")]))
    assert "declares it as some-module-that-does-not-exist-xyz (the settings" in declared
    assert f"run `microagent sandbox env {root}`" in declared


def test_a_missing_system_library_names_the_library_and_the_image(tmp_path):
    root = write(tmp_path, {"app.py": "import fastgeo\n", "test_app.py": TEST_APP})
    snapshot = read_workspace(str(root), {})
    error = "ImportError: libgeos_c.so.1: cannot open shared object file: No such file or directory"
    report = TestReport(status=ReportStatus.collection_error, backend="docker",
                        collection_errors=[f"test_app.py:\n{error}"],
                        cases=[TestCase(node_id="test_app.py", outcome=Outcome.error,
                                        message=error)])

    message = environment_error(report, snapshot, read_declared(snapshot))
    assert "cannot load the system library libgeos_c.so.1" in message
    assert "the sandbox image lacks it" in message and "Set sandbox.image" in message


def test_a_test_that_fails_for_another_reason_keeps_the_run_going(tmp_path):
    root = write(tmp_path, {
        "app.py": f"def add(a, b):\n    return a - b\n\n\ndef fancy():\n    import {MISSING}\n",
        "test_app.py": "from app import add, fancy\n\n\ndef test_add():\n    assert add(2, 3) == 5"
                       "\n\n\ndef test_fancy():\n    fancy()\n"})
    report, snapshot, environment = report_of(root)

    assert len(report.failed) == 2
    assert environment_error(report, snapshot, read_declared(snapshot), environment) is None
    alone = report.model_copy(update={"cases": [c for c in report.cases if "fancy" in c.node_id]})
    assert MISSING in environment_error(alone, snapshot, read_declared(snapshot), environment)
