"""Tells an environment error from a bug: the tests stopped at a module that is neither in the
workspace nor installed, or at a system library the sandbox lacks. No candidate can fix that,
so the run ends with a message that says what does. It never claims one it is unsure of: a
module the workspace may provide, or one the code never imports by name, is the code's.
"""

from __future__ import annotations

import ast
import re
import sys

from microagent.languages.python.dependency_imports import declared_distribution, distributions
from microagent.languages.python.parsed import is_test_file, parse_module
from microagent.sandbox.dependencies import Declared
from microagent.sandbox.types import Environment, ReportStatus, TestReport, WorkspaceSnapshot

MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '([A-Za-z_][\w.]*)'")
MISSING_LIBRARY = re.compile(r"ImportError: (lib[^\s:/'\"]*\.so[\w.]*): cannot open shared "
                             r"object file")
_SOURCE_SUFFIXES = (".py", ".pyi", ".pyx", ".so", ".pyd")


def environment_error(report: TestReport, snapshot: WorkspaceSnapshot, declared: Declared,
                      environment: Environment | None = None, *,
                      implement: bool = False) -> str | None:
    """The message that ends a run whose tests failed only for want of a module or a system
    library the environment lacks; None when the failure may be the code's. With `implement`,
    an undeclared module that only the tests import is the one to write, not a lack."""
    texts = _failure_texts(report)
    if texts is None:
        return None
    importers = {m: _importer(m, snapshot) for m in _found(MISSING_MODULE, texts)
                 if _external(m, snapshot)}
    modules = {m: path for m, path in importers.items() if path}
    if implement:
        names = declared.names(snapshot)
        modules = {m: path for m, path in modules.items()
                   if declared_distribution(m, names) or _importer(m, snapshot, tests=False)}
    libraries = _found(MISSING_LIBRARY, texts)
    if report.status == ReportStatus.completed and not all(
            set(MISSING_MODULE.findall(t)) & set(modules) or MISSING_LIBRARY.search(t)
            for t in _case_texts(report)):
        return None  # some test fails for another reason: the code may be at fault
    if modules:
        return _module_message(modules, report, snapshot, declared, environment)
    if libraries:
        return _library_message(libraries, report, environment)
    return None


def _failure_texts(report: TestReport) -> list[str] | None:
    """Where an import error shows, for a run that did not pass; None for one that did."""
    if report.status == ReportStatus.collection_error:
        return [*report.collection_errors, *_case_texts(report), report.output]
    if report.status == ReportStatus.completed and report.failed:
        return _case_texts(report)
    return None


def _case_texts(report: TestReport) -> list[str]:
    return [f"{c.message}\n{c.traceback}" for c in report.failed]


def _found(pattern: re.Pattern, texts: list[str]) -> list[str]:
    return list(dict.fromkeys(m for t in texts for m in pattern.findall(t)))


def _external(module: str, snapshot: WorkspaceSnapshot) -> bool:
    """Neither the standard library nor anything the workspace could put on sys.path: a file
    or folder of that top-level name anywhere in it (pytest's rootdir, src/, a test folder)."""
    top = module.split(".")[0]
    if top == "__main__" or top in sys.stdlib_module_names:
        return False
    for path in [*snapshot.files, *snapshot.skipped]:
        *folders, name = path.split("/")
        if top in folders:
            return False
        if name.endswith(_SOURCE_SUFFIXES) and name.split(".")[0] == top:
            return False
    return True


def _importer(module: str, snapshot: WorkspaceSnapshot, *, tests: bool = True) -> str | None:
    """The first workspace file (a test file too, with `tests`) that imports `module` by name
    (`import m`, `from m import x`): a module named only at run time may be the code's own
    mistake."""
    for path in sorted(p for p in snapshot.files if p.endswith(".py")
                       and (tests or not is_test_file(p))):
        text = snapshot.text(path)
        tree = parse_module(text) if module.split(".")[0] in text else None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            if any(n == module or n.startswith(module + ".") for n in names):
                return path
    return None


def _module_message(modules: dict[str, str], report: TestReport, snapshot: WorkspaceSnapshot,
                    declared: Declared, environment: Environment | None) -> str:
    module, importer = next(iter(modules.items()))
    names = declared.names(snapshot)
    dist = declared_distribution(module, names)
    install = dist or distributions(module)[0]
    docker = report.backend == "docker"
    where_ran = f"the {report.backend or 'sandbox'} sandbox" + (
        f" ({environment.python})" if environment and environment.python and not docker else "")
    text = (f"The tests cannot import {module}, which {importer} imports "
            f"(ModuleNotFoundError: No module named '{module}'): it is not in the workspace and "
            f"not installed in {where_ran}.")
    if dist:
        source = declared.where(dist, snapshot) or ", ".join(declared.sources) or "the settings"
        text += f" The project declares it as {dist} ({source})."
    else:
        text += " The project does not declare it."
    text += " That is the environment, not a bug in the code: no candidate was asked to fix it."
    if docker and dist:
        text += (" The sandbox's environment should have installed it: run `microagent sandbox "
                 f"env {snapshot.root or '<root>'}` to see how the environment was built.")
    elif docker:
        text += (f" To fix it, add {install} to [project] dependencies in pyproject.toml or to "
                 "requirements.txt, or set sandbox.requirements; the sandbox then installs it.")
    else:
        python = environment.python if environment and environment.python else "python"
        text += (" To fix it, install it into the interpreter the tests run with "
                 f"(`{python} -m pip install {install}`), or set sandbox.python to the "
                 "interpreter of the project's virtualenv.")
    if len(modules) > 1:
        text += f" The tests cannot import {', '.join(list(modules)[1:])} either."
    return text.rstrip(".")


def _library_message(libraries: list[str], report: TestReport,
                     environment: Environment | None) -> str:
    library = libraries[0]
    text = (f"The tests cannot load the system library {library} (ImportError: {library}: "
            "cannot open shared object file): ")
    if report.backend == "docker":
        image = f" ({environment.image})" if environment and environment.image else ""
        text += (f"the sandbox image{image} lacks it. That is the environment, not a bug in the "
                 "code: no candidate was asked to fix it. Set sandbox.image to an image that "
                 f"has {library}.")
    else:
        text += ("this machine lacks it. That is the environment, not a bug in the code: no "
                 "candidate was asked to fix it. Install the system package that provides it, or "
                 f"use the docker sandbox with sandbox.image set to an image that has {library}.")
    if len(libraries) > 1:
        text += f" The tests cannot load {', '.join(libraries[1:])} either."
    return text.rstrip(".")
