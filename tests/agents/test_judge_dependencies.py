"""The judge refuses a candidate that passes by doing without a declared dependency (its import
removed, or hidden behind try/except ImportError) or that edits a dependency file, unless
`sandbox.dependency_edits` allows that; ordinary candidates run the real tests."""

import time

import pytest

from microagent.agents.judge import Judge
from microagent.languages.python.dependency_imports import screen_dependencies
from microagent.agents import tester as roles_tester
from microagent.agents.run_state import Attempt, RunState
from microagent.agents.runtime import RUNNER
from microagent.agents.types import Task, TaskKind
from microagent.sandbox.dependencies import read_declared
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.snapshot import read_workspace

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["click>=8", "PyYAML"]\n'
APP = "import click\n\n\ndef add(a, b):\n    return a - b\n"
TEST_APP = "from app import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
FIXED = "def add(a, b):\n    return a + b\n"


def screened(candidate: str, original: str = APP, declared=("click", "pyyaml")) -> list[str]:
    return [str(f) for f in screen_dependencies({"app.py": original}, {"app.py": candidate},
                                                set(declared))]


@pytest.mark.parametrize("candidate, said", [
    (FIXED, "removes the import of click (the declared dependency click) in app.py:1"),
    ("try:\n    import click\nexcept ImportError:\n    click = None\n\n\n" + FIXED,
     "hides the import of click (the declared dependency click) behind try/except in app.py:2"),
    ("try:\n    import click\nexcept (ValueError, ModuleNotFoundError):\n    pass\n\n\n" + FIXED,
     "hides the import of click"),
    ("try:\n    from click import echo\nexcept Exception:\n    echo = print\n\n\n" + FIXED,
     "hides the import of click"),
    ("try:\n    import click\nexcept:\n    pass\n\n\n" + FIXED, "hides the import of click"),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import click\n\n\n" + FIXED,
     "removes the import of click"),
])
def test_doing_without_a_declared_dependency_is_refused(candidate, said):
    [found] = screened(candidate)
    assert said in found


def test_imports_the_project_may_drop_or_already_guarded_pass():
    assert screened("import click.testing\n\n\n" + FIXED) == []  # still imports click
    assert screened("from click import echo\n\n\n" + FIXED) == []
    assert screened(FIXED, original="import json\n\n\n" + FIXED) == []  # not declared
    guarded = "try:\n    import click\nexcept ImportError:\n    click = None\n"
    assert screened(guarded + "\n\n" + FIXED, original=guarded + "\n\n" + APP[13:]) == []
    assert screened("try:\n    import click\nexcept KeyError:\n    pass\n\n\n" + FIXED) == []


def test_an_import_name_maps_to_its_distribution():
    [found] = screened(FIXED, original="import yaml\n\n\n" + FIXED)
    assert "removes the import of yaml (the declared dependency pyyaml)" in found


@pytest.fixture
def workspace(tmp_path):
    for path, text in {"pyproject.toml": PYPROJECT, "app.py": APP, "test_app.py": TEST_APP}.items():
        (tmp_path / path).write_text(text)
    return tmp_path


async def judged(root, files, **options):
    """The judge of a run on `root`, with the real tests on the process sandbox."""
    snapshot = read_workspace(str(root), {})
    tester = roles_tester.Tester(ProcessSandbox(runner=RUNNER))  # not a test class
    run = RunState(Task(kind=TaskKind.fix, root=str(root)), snapshot, None, time.monotonic())
    first = await tester.run(snapshot, None)
    refusals = []
    judge = Judge(run, Attempt({}, first), set(),
                  lambda snap, label, selection: tester.run(snap, None),
                  lambda why, found: refusals.append(why),
                  declared=read_declared(snapshot).names(snapshot), **options)
    entry: dict = {}
    return await judge.judge(files, entry), entry, refusals


async def test_the_judge_refuses_a_candidate_that_deletes_a_declared_import(workspace):
    attempt, entry, refusals = await judged(workspace, {"app.py": FIXED})
    assert attempt is None and "tests" not in entry  # refused unrun
    assert "removes the import of click" in entry["problem"]
    assert refusals and "refused without running the tests" in refusals[0]


async def test_the_judge_refuses_a_candidate_that_guards_a_declared_import(workspace):
    guarded = "try:\n    import click\nexcept ImportError:\n    click = None\n\n\n" + FIXED
    attempt, entry, _ = await judged(workspace, {"app.py": guarded})
    assert attempt is None and "hides the import of click" in entry["problem"]


async def test_a_dependency_file_is_the_users_to_change_unless_allowed(workspace):
    edited = {"pyproject.toml": PYPROJECT.replace('"click>=8", ', ""), "app.py": APP[:13] + FIXED}
    attempt, entry, _ = await judged(workspace, edited)
    assert attempt is None
    assert "edits a dependency file (sandbox.dependency_edits is off) in pyproject.toml" \
        in entry["problem"]

    attempt, entry, _ = await judged(workspace, edited, dependency_edits=True)
    assert attempt is not None and attempt.report.ok, entry  # run, and it passes


async def test_an_ordinary_fix_keeps_its_imports_and_passes(workspace):
    attempt, entry, refusals = await judged(workspace, {"app.py": APP[:13] + FIXED})
    assert attempt is not None and attempt.report.ok and refusals == []
