"""The runner adapters turn real pytest runs into the right TestReport status."""

import ast
import json
import os
import secrets
import subprocess
import sys

import pytest

from microagent.languages.python.pytest_runner import WITNESS_SOURCE, PytestRunner
from microagent.sandbox.test_runner import JUnitCommandRunner, RawRun
from microagent.sandbox.types import Outcome, ReportStatus


def run(runner, directory, files, selection=()):
    """Run the runner's own argv with real pytest; hand its results to runner.parse."""
    for rel, text in files.items():
        (directory / rel).parent.mkdir(parents=True, exist_ok=True)
        (directory / rel).write_text(text)
    report = directory / "out" / "report.xml"
    report.parent.mkdir(exist_ok=True)
    argv = runner.argv(list(selection), str(report))
    if argv[0] == "python3":
        argv[0] = sys.executable
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), **runner.env}
    secret = secrets.token_hex(16)
    done = subprocess.run(argv, cwd=directory, env=env, input=f"{secret}\n".encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    data = report.read_bytes() if report.exists() else None
    return runner.parse(RawRun(output=done.stdout.decode(), exit_code=done.returncode,
                               duration=0.5, report=data, secret=secret))


def test_pytest_argv_runs_the_witness_without_a_report_file_cache_or_plugins():
    runner = PytestRunner()
    argv = runner.argv(["tests/test_a.py::test_x"], "/out/r.xml")
    assert argv[:2] == ["python3", "-c"] and "def main" in argv[2]
    assert "-x" not in argv and argv[-1] == "tests/test_a.py::test_x"
    assert "/out/r.xml" not in argv and not runner.report_file
    assert "no:cacheprovider" in argv
    assert runner.env == {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONHASHSEED": "0"}


def test_a_normal_run_completes_with_its_cases(tmp_path):
    report = run(PytestRunner(), tmp_path, {
        "test_a.py": "def test_ok():\n    pass\n\ndef test_bad():\n    assert 1 == 2\n",
    })  # fmt: skip
    assert report.status == ReportStatus.completed and report.exit_code == 1
    assert [c.outcome for c in report.cases] == [Outcome.passed, Outcome.failed]
    assert report.summary() == "1/2 tests passing" and not report.ok


def test_tests_parametrized_over_a_set_keep_their_ids_from_run_to_run(tmp_path):
    """isodate's suite does this: ids by position in a set moved between runs, and a fix
    looked like it broke the tests whose ids moved."""
    files = {"test_set.py": "import pytest\n\nWORDS = {'alpha', 'beta', 'gamma', 'delta', "
                            "'epsilon', 'zeta', 'eta', 'theta'}\n\n\n"
                            "@pytest.mark.parametrize('word,box', [(w, [w]) for w in WORDS])\n"
                            "def test_word(word, box):\n    assert box == [word]\n"}
    ids = []
    for i in range(3):
        (tmp_path / str(i)).mkdir()
        ids.append([c.node_id for c in run(PytestRunner(), tmp_path / str(i), files).cases])
    assert len(ids[0]) == 8 and ids[0] == ids[1] == ids[2]


def test_selection_runs_only_the_chosen_tests(tmp_path):
    files = {"test_a.py": "def test_ok():\n    pass\n\ndef test_bad():\n    assert 0\n"}
    report = run(PytestRunner(), tmp_path, files, ["test_a.py::test_ok"])
    assert [c.node_id for c in report.cases] == ["test_a.py::test_ok"] and report.ok


def test_no_tests_is_its_own_status(tmp_path):
    report = run(PytestRunner(), tmp_path, {"app.py": "x = 1\n"})
    assert report.status == ReportStatus.no_tests and report.exit_code == 5


def test_syntax_and_import_errors_are_collection_errors_with_short_text(tmp_path):
    report = run(PytestRunner(), tmp_path, {
        "test_syntax.py": "def broken(:\n    pass\n",
        "test_imports.py": "import no_such_module\n",
        "test_fine.py": "def test_fine():\n    pass\n",
    })  # fmt: skip
    assert report.status == ReportStatus.collection_error
    text = "\n".join(report.collection_errors)
    assert len(report.collection_errors) == 2
    assert "SyntaxError" in text and "def broken(:" in text
    assert "No module named 'no_such_module'" in text
    assert len(text.splitlines()) < 20  # short: no pytest internals


def test_a_broken_conftest_is_a_collection_error(tmp_path):
    report = run(PytestRunner(), tmp_path, {
        "conftest.py": "import not_installed_anywhere\n",
        "test_a.py": "def test_a():\n    pass\n",
    })  # fmt: skip
    assert report.status == ReportStatus.collection_error
    assert "not_installed_anywhere" in "\n".join(report.collection_errors)


def test_pytest_dying_mid_run_is_a_crash(tmp_path):
    report = run(PytestRunner(), tmp_path, {
        "test_a.py": "import os\n\ndef test_exit():\n    os._exit(1)\n",
    })  # fmt: skip
    assert report.status == ReportStatus.crashed and not report.ok
    assert "no report from the test runner" in report.problem


def test_the_witness_line_is_taken_out_of_the_output(tmp_path):
    report = run(PytestRunner(), tmp_path, {"test_a.py": "def test_a():\n    print('hi')\n"})
    assert report.ok and '"cases"' not in report.output and "1 passed" in report.output

@pytest.mark.parametrize(
    ("timed_out", "oom", "status"),
    [(True, False, ReportStatus.timeout), (False, True, ReportStatus.oom),
     (True, True, ReportStatus.timeout)],
)  # fmt: skip
def test_timeouts_and_oom_override_the_exit_code(timed_out, oom, status):
    report = PytestRunner().parse(RawRun("", -9, timed_out, oom, 3.0))
    assert report.status == status and report.duration == 3.0


def test_generic_junit_runner_with_a_pytest_command(tmp_path):
    runner = JUnitCommandRunner(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml={report}"],
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    report = run(runner, tmp_path, {
        "test_b.py": "def test_one():\n    pass\n\ndef test_two():\n    assert False\n",
    })  # fmt: skip
    assert report.status == ReportStatus.completed
    assert [(c.node_id, c.outcome) for c in report.cases] == [
        ("test_b::test_one", Outcome.passed),
        ("test_b::test_two", Outcome.failed),
    ]


def test_generic_runner_without_a_report_crashed(tmp_path):
    runner = JUnitCommandRunner([sys.executable, "-c", "raise SystemExit(3)", "{report}"])
    report = run(runner, tmp_path, {})
    assert report.status == ReportStatus.crashed and report.exit_code == 3


def test_a_plugin_a_conftest_registers_is_not_tampering(tmp_path):
    conftest = ("class Late:\n    def pytest_runtest_setup(self, item):\n        pass\n\n\n"
                "def pytest_sessionstart(session):\n"
                "    session.config.pluginmanager.register(Late())\n")  # fmt: skip
    report = run(PytestRunner(), tmp_path, {"conftest.py": conftest,
                                            "test_a.py": "def test_a():\n    pass\n"})
    assert report.ok, report.problem


def record_line(secret, exit_code, outcome):
    case = {"node_id": "test_a.py::test_a", "outcome": outcome}
    return f"{secret} " + json.dumps({"exit": exit_code, "cases": [case], "tampered": []})


@pytest.mark.parametrize(("exit_code", "process_exit", "outcome", "why"), [
    (0, 1, "passed", "but the process ended with 1"),
    (0, 0, "failed", "pytest exited 0 but test_a.py::test_a did not pass"),
    (1, 1, "passed", "exited 1 (tests failed) but its report shows no failure"),
])  # fmt: skip
def test_a_report_that_disagrees_with_the_exit_status_is_a_crash(
    exit_code, process_exit, outcome, why
):
    output = "1 passed\n" + record_line("s3cret", exit_code, outcome)
    report = PytestRunner().parse(RawRun(output, process_exit, secret="s3cret"))
    assert report.status == ReportStatus.crashed and why in report.problem
    assert report.cases == [] and not report.ok


def test_a_line_without_the_secret_is_not_a_report():
    output = record_line("guessed", 0, "passed")
    report = PytestRunner().parse(RawRun(output, 0, secret="s3cret"))
    assert report.status == ReportStatus.crashed and "no report" in report.problem
    assert "guessed" in report.output  # shown to the user as ordinary output


def test_the_witness_is_one_program_that_imports_nothing_of_microagent():
    tree = ast.parse(WITNESS_SOURCE)
    imported = [node.module if isinstance(node, ast.ImportFrom) else alias.name
                for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names]  # fmt: skip
    assert imported and not [name for name in imported if name.startswith("microagent")]
    defined = {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    assert {"Seal", "TestFiles", "Fingerprints", "Witness", "main"} <= defined
