"""Which workspaces the Node sandbox serves, and what it says about a lockfile it cannot install
from (no engine needed: the lockfile is read before anything is built)."""

from __future__ import annotations

import json

import pytest

from microagent.sandbox.node_sandbox import is_node_workspace
from microagent.sandbox.npm_fetch import read_lockfile
from microagent.sandbox.types import EnvironmentFailed, WorkspaceSnapshot

MANIFEST = '{"name": "calc", "devDependencies": {"vitest": "3.2.7"}}'


def snapshot(files: dict[str, str]) -> WorkspaceSnapshot:
    return WorkspaceSnapshot(files={path: text.encode() for path, text in files.items()})


def lock(packages: dict) -> str:
    return json.dumps({"name": "calc", "lockfileVersion": 3, "packages": {"": {}, **packages}})


def test_a_package_json_without_python_is_a_node_workspace():
    assert is_node_workspace(["package.json", "src/calc.ts", "package-lock.json"])
    assert not is_node_workspace(["package.json", "pyproject.toml"])
    assert not is_node_workspace(["package.json", "tools/gen.py"])
    assert not is_node_workspace(["web/package.json", "src/calc.ts"])


def test_without_a_lockfile_the_message_says_to_commit_one():
    with pytest.raises(EnvironmentFailed) as caught:
        read_lockfile(snapshot({"package.json": MANIFEST}))
    assert "no package-lock.json" in str(caught.value)
    assert "npm install --package-lock-only --ignore-scripts" in str(caught.value)


def test_a_yarn_project_hears_that_only_npms_lockfile_is_read():
    with pytest.raises(EnvironmentFailed, match="it has yarn's lockfile"):
        read_lockfile(snapshot({"package.json": MANIFEST, "yarn.lock": "# yarn lockfile v1\n"}))


def test_a_workspace_without_package_json_is_told_so():
    with pytest.raises(EnvironmentFailed, match="no package.json"):
        read_lockfile(snapshot({"package-lock.json": lock({})}))


@pytest.mark.parametrize("text, problem", [
    ("{not json", "not valid JSON"),
    (json.dumps({"lockfileVersion": 1, "dependencies": {}}), "npm 6 or older"),
    (lock({"node_modules/x": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/a/x.git"}}),
     "from git"),
    (lock({"node_modules/x": {"resolved": "packages/x", "link": True}}), "npm workspaces"),
])
def test_a_lockfile_npm_cannot_install_offline_and_unscripted_gets_a_message(text, problem):
    with pytest.raises(EnvironmentFailed, match=problem):
        read_lockfile(snapshot({"package.json": MANIFEST, "package-lock.json": text}))


def test_the_lockfile_names_its_runners_and_shrinkwrap_wins():
    files = {"package.json": MANIFEST,
             "package-lock.json": lock({}),
             "npm-shrinkwrap.json": lock({"node_modules/vitest": {"version": "3.2.7"}})}
    found = read_lockfile(snapshot(files))
    assert found.name == "npm-shrinkwrap.json" and found.runners() == {"vitest": "3.2.7"}
