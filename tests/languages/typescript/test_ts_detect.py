"""Which runner a workspace uses, from package.json and config files alone."""

from __future__ import annotations

import json

import pytest

from microagent.languages.typescript.detect import NoTestRunner, detect_runner


def package(**fields) -> str:
    return json.dumps({"name": "app", **fields})


@pytest.mark.parametrize("script, runner", [
    ("vitest run", "vitest"), ("vitest", "vitest"), ("npx vitest --run", "vitest"),
    ("jest --ci", "jest"), ("NODE_ENV=test jest", "jest"), ("tsc && jest", "jest"),
    ("node_modules/.bin/vitest run", "vitest"),
])  # fmt: skip
def test_the_test_script_names_the_runner(script, runner):
    found = detect_runner({"package.json": package(scripts={"test": script})})
    assert found.runner == runner and script in found.reason


def test_the_test_script_wins_over_dependencies_and_configs():
    files = {"package.json": package(scripts={"test": "jest"}, devDependencies={"vitest": "3"}),
             "vitest.config.ts": "export default {}"}
    assert detect_runner(files).runner == "jest"


@pytest.mark.parametrize("path, runner", [
    ("vitest.config.ts", "vitest"), ("vitest.config.mjs", "vitest"), ("jest.config.js", "jest"),
    ("jest.config.ts", "jest"), ("jest.config.json", "jest"),
])  # fmt: skip
def test_a_config_file_names_the_runner(path, runner):
    found = detect_runner({"package.json": package(scripts={"test": "echo none"}), path: ""})
    assert (found.runner, found.reason) == (runner, path)


def test_a_vite_config_is_vitests_only_with_a_test_section():
    with_tests = "export default defineConfig({ plugins: [], test: { globals: true } })"
    assert detect_runner({"vite.config.ts": with_tests}).runner == "vitest"
    with pytest.raises(NoTestRunner):
        detect_runner({"vite.config.ts": "export default defineConfig({ plugins: [] })"})


def test_configs_in_subfolders_are_not_the_workspaces():
    with pytest.raises(NoTestRunner):
        detect_runner({"packages/a/jest.config.js": "", "package.json": package()})


def test_a_jest_section_in_package_json_is_a_config():
    found = detect_runner({"package.json": package(jest={"testEnvironment": "node"})})
    assert found.runner == "jest" and "section" in found.reason


@pytest.mark.parametrize("field", ["devDependencies", "dependencies"])
def test_dependencies_name_the_runner_last(field):
    found = detect_runner({"package.json": package(**{field: {"jest": "^30.0.0"}})})
    assert found.runner == "jest" and field in found.reason


def test_neither_runner_is_an_error_that_says_what_to_add():
    for files in ({"package.json": package(scripts={"test": "mocha"})}, {"index.js": ""},
                  {"package.json": "{not json"}):
        with pytest.raises(NoTestRunner, match="npm install -D vitest"):
            detect_runner(files)


def test_a_named_test_command_wins_and_must_be_one_of_the_two():
    files = {"package.json": package(scripts={"test": "jest"})}
    assert detect_runner(files, command="npx vitest run").runner == "vitest"
    with pytest.raises(NoTestRunner, match="neither vitest nor jest"):
        detect_runner(files, command="mocha")


def test_the_detected_runner_becomes_a_test_runner():
    runner = detect_runner({"vitest.config.ts": ""}).test_runner(modules="/cache/node_modules")
    assert (runner.runner, runner.modules) == ("vitest", "/cache/node_modules")
