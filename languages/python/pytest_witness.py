"""The program that runs pytest inside the sandbox and reports what really happened.

Sent as the source of `python3 -c`, so it needs nothing installed in the sandbox but pytest and
must never import microagent. Before any test code is imported it reads the run's secret from
stdin (without Python's buffered streams), seals it in a pipe so that no frame, local or global
the code under test can walk holds it, closes stdin and keeps a private copy of stdout; at the
end it writes one line, the secret and the outcomes as JSON, and leaves with pytest's own exit
status through `os._exit`, so no atexit handler of the code under test runs after it. A line
without the secret is not ours.

Tamper-evidence: before any workspace code runs the witness reads the test files and records
pytest's runner functions and report classes and its own globals; each test's code is checked
against the code compiled from the test file as it was, and the runner at every report and at
the end. A plugin registered while tests run, a phase that raised but was reported as passed, a
changed runner or test, or a secret taken from its pipe is recorded as tampering.
"""

import json
import os
import sys
import time
import types

from microagent.languages.python.pytest_witness_checks import (  # sent inline: see pytest_runner
    OWN_MODULES, RUNNER, WRITER, Fingerprints, Seal, TestFiles, import_runner, read_secret,
    read_test_files,
)

TRACEBACK_LINES = 40
RECORD_LIMIT = 200_000  # bytes of JSON; tracebacks are dropped first when a suite is huge


def _tail(text, keep=TRACEBACK_LINES):
    lines = text.strip("\n").splitlines()
    if len(lines) > keep:
        lines = ["[... %d earlier lines ...]" % (len(lines) - keep)] + lines[-keep:]
    return "\n".join(lines)


def _message(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        reason = str(report.longrepr[2])  # a skip: (file, line, reason)
        return reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    text = report.longreprtext.strip().splitlines()
    errors = [line[1:].strip() for line in text if line.startswith("E ")]
    return errors[-1] if errors else (text[-1] if text else "")


def _from_conftest(module):
    path = getattr(module, "__file__", None) or ""
    return os.path.basename(path) == "conftest.py"


def _allowed(plugin):
    """Plugins pytest itself registers while it runs; conftest.py files and their objects."""
    if _from_conftest(plugin):
        return True
    name = getattr(plugin, "__name__", None) if type(plugin).__name__ == "module" else None
    module = name or type(plugin).__module__ or ""
    return module.split(".")[0] in OWN_MODULES or _from_conftest(sys.modules.get(module))


class Witness:
    def __init__(self, seal, test_files, runner):
        self.seal, self.test_files, self.runner = seal, test_files, runner
        self.cases = {}
        self.tampered = []
        self.running = False
        self.started = time.monotonic()
        self.collection_seconds = None

    def tamper(self, why):
        if why and why not in self.tampered:
            self.tampered.append(why)

    def check(self):
        """The runner unchanged and the secret still sealed: at every report and at the end."""
        self.tamper(self.runner.changed())
        if not self.seal.intact():
            self.tamper("the run's secret was taken from the witness's pipe")

    def pytest_sessionstart(self, session):
        self.running = True

    def pytest_collection_finish(self, session):
        self.collection_seconds = round(time.monotonic() - self.started, 3)

    def pytest_plugin_registered(self, plugin, manager):
        if self.running and not _allowed(plugin):
            self.tamper("a pytest plugin was registered by the code under test: %r"
                        % (type(plugin).__name__,))

    def pytest_runtest_makereport(self, item, call):  # a hook wrapper: see main()
        raised = call.excinfo is not None
        if call.when == "call":
            self.tamper(self.test_files.changed(item))
        outcome = yield
        report = outcome.get_result()
        if raised and report.passed:
            self.tamper("%s: its %s raised but was reported as passed" % (item.nodeid, call.when))

    def pytest_collectreport(self, report):
        if report.failed:
            self.cases[report.nodeid] = {
                "node_id": report.nodeid, "outcome": "error", "file": report.nodeid,
                "message": _message(report), "traceback": _tail(report.longreprtext),
            }

    def pytest_runtest_logreport(self, report):
        if report.when == "call":  # a change after the last call is found at the end
            self.check()
        case = self.cases.setdefault(report.nodeid, {
            "node_id": report.nodeid, "outcome": "passed", "file": report.location[0],
            "line": report.location[1] + 1 if report.location[1] is not None else None,
            "message": "", "traceback": "", "duration": 0.0,
        })
        case["duration"] += report.duration
        xfail = hasattr(report, "wasxfail")
        if report.when == "call" and xfail:
            case["outcome"] = "xfailed" if report.skipped else "xpassed"
        elif report.skipped and case["outcome"] == "passed":
            case["outcome"] = "skipped"
        elif report.failed and case["outcome"] not in ("failed", "error"):
            case["outcome"] = "failed" if report.when == "call" else "error"
        else:
            return
        case["message"] = _message(report) or ("xfail: %s" % report.wasxfail if xfail else "")
        case["traceback"] = _tail(report.longreprtext) if report.failed else ""


def _own_names():
    """The witness's own functions, classes and modules, as `__main__` holds them."""
    kinds = (types.FunctionType, types.ModuleType, type)
    return tuple(name for name, value in globals().items() if isinstance(value, kinds))

def main():
    seal = Seal(read_secret())
    empty = os.open(os.devnull, os.O_RDONLY)
    os.dup2(empty, 0)
    os.close(empty)
    out, write, leave, dumps = os.dup(1), os.write, os._exit, json.dumps
    workspace = sys.path.pop(0)  # a pytest.py in the workspace must not stand in for pytest
    sources = read_test_files(sys.argv[1:])
    import pytest
    from _pytest.assertion.rewrite import rewrite_asserts

    import_runner()
    sys.path.insert(0, workspace)
    hook = pytest.hookimpl(hookwrapper=True, tryfirst=True)
    Witness.pytest_runtest_makereport = hook(Witness.pytest_runtest_makereport)
    runner = Fingerprints(RUNNER + ((__name__, _own_names()),))
    writer = Fingerprints(WRITER)
    # registered before any conftest or test module is imported
    witness = Witness(seal, TestFiles(sources, rewrite_asserts), runner)
    try:
        code = int(pytest.main(sys.argv[1:], plugins=[witness]))
    except BaseException as exc:  # a SystemExit from the code under test is not pytest's status
        witness.tamper("pytest did not return: %s" % type(exc).__name__)
        code = 3
    witness.check()
    witness.tamper(writer.changed())
    cases = list(witness.cases.values())
    record = {"exit": code, "cases": cases, "tampered": witness.tampered,
              "collection_seconds": witness.collection_seconds}
    text = dumps(record)
    if len(text) > RECORD_LIMIT:
        for case in cases:
            case["traceback"] = ""
        text = dumps(record)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # replaced or closed by the code under test: nothing to keep
            pass
    data = b"\n" + seal.open() + b" " + text.encode() + b"\n"
    while data:
        data = data[write(out, data):]
    leave(code)


if __name__ == "__main__":
    main()
