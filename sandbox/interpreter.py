"""Which Python runs a workspace's tests in the local sandboxes, where its files live, and the
sentences that say why one cannot be used.

`workspace_python` picks it (the `sandbox.python` setting, else the workspace's own virtualenv,
else microagent's own); `locate` reads its layout from disk, so a jail can be built around an
interpreter nobody has vetted. Nothing here runs the interpreter: the backends check it.
"""

from __future__ import annotations

import configparser
import glob
import os
import pwd
import subprocess
import sys
from typing import Sequence

from microagent.sandbox.bubblewrap import Interpreter
from microagent.sandbox.types import SandboxError

VENV_DIRS = (".venv", "venv")  # looked for first, in this order; then any folder with pyvenv.cfg
OWN = "microagent's own Python"


def _runnable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _venvs(root: str) -> list[tuple[str, str]]:
    """(interpreter, folder name) for the virtualenvs at the top of `root`, preferred first."""
    found = [(os.path.join(root, name, "bin", "python"), name) for name in VENV_DIRS
             if os.path.isdir(os.path.join(root, name))]  # fmt: skip
    try:
        others = sorted(e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False))
    except OSError:
        others = []
    for name in others:
        if name not in VENV_DIRS and os.path.isfile(os.path.join(root, name, "pyvenv.cfg")):
            found.append((os.path.join(root, name, "bin", "python"), name))
    return found


def workspace_python(root: str | None, setting: str | None,
                     fallback: str = sys.executable) -> tuple[str, str]:
    """(interpreter, why it was chosen) for the workspace at `root`.

    `setting` (sandbox.python) wins: a path, relative ones taken from the workspace root (the
    current directory without one); it must be an executable file. Then `<root>/.venv`,
    `<root>/venv` or any other top-level virtualenv; then `fallback`.
    """
    if setting:
        path = os.path.normpath(os.path.join(os.path.abspath(root or "."), setting))
        if not _runnable(path):
            raise SandboxError(
                f"sandbox.python is {setting!r}, but {path} is not an executable file: set "
                "sandbox.python (microagent.sandbox.python in the editor, "
                "MICROAGENT_SANDBOX_PYTHON, or [tool.microagent] in pyproject.toml) to the Python "
                "that runs this project's tests, or unset it to use the workspace's .venv")
        return path, "sandbox.python"
    broken = []
    for python, name in _venvs(os.path.abspath(root)) if root else []:
        if _runnable(python):
            return python, f"the workspace's {name}"
        broken.append(f"{name}/bin/python")
    why = OWN if fallback == sys.executable else "the sandbox's default Python"
    if broken:
        why += f" ({', '.join(broken)} not runnable)"
    return fallback, why


def _home(cfg: str) -> str | None:
    """The `home` line of a pyvenv.cfg: the directory of the interpreter the venv was made from."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(cfg, encoding="utf-8") as handle:
            parser.read_string("[venv]\n" + handle.read())
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    home = parser.get("venv", "home", fallback="").strip()
    return home if os.path.isabs(home) else None


def _installation(bindir: str) -> str:
    """The prefix an interpreter in `bindir` finds its standard library under, as CPython's
    getpath searches: upwards for lib/pythonX.Y/os.py; else the parent of `bindir`."""
    here = os.path.abspath(bindir)
    while os.path.dirname(here) != here:  # never "/": a jail must not bind the whole host
        if glob.glob(os.path.join(glob.escape(here), "lib", "python3*", "os.py")):
            return here
        here = os.path.dirname(here)
    return os.path.dirname(os.path.abspath(bindir))


def locate(python: str) -> Interpreter:
    """Where `python` and its standard library live, from its layout on disk: a pyvenv.cfg
    beside or above it makes its folder the prefix and its `home` the base installation."""
    path = os.path.abspath(python)
    if not _runnable(path):
        raise SandboxError(f"cannot run the sandbox's Python {python!r}: not an executable file")
    bindir = os.path.dirname(path)
    for folder in (bindir, os.path.dirname(bindir)):
        cfg = os.path.join(folder, "pyvenv.cfg")
        if os.path.isfile(cfg):
            home = _home(cfg) or os.path.dirname(os.path.realpath(path))
            return Interpreter(path, folder, _installation(home))
    base = _installation(os.path.dirname(os.path.realpath(path)))
    return Interpreter(path, base, base)


def unusable(python: str, module: str | None, done: subprocess.CompletedProcess) -> str:
    """Why `python` cannot run the tests, from its failed check (`import module`)."""
    if module and f"No module named '{module}'" in done.stderr:
        return (f"The Python that runs this workspace's tests, {python}, cannot import {module}: "
                f"run `{python} -m pip install {module}`, or set sandbox.python to an interpreter "
                "that has it.")
    detail = (done.stderr or done.stdout).strip().splitlines()
    doing = f"importing {module}" if module else "starting"
    return (f"The Python that runs this workspace's tests, {python}, failed {doing} "
            f"({detail[-1] if detail else f'exit {done.returncode}'}): fix it, or set "
            "sandbox.python to another interpreter.")


def _holds(outer: str, inner: str) -> bool:
    outer, inner = os.path.realpath(outer), os.path.realpath(inner)
    return os.path.commonpath([outer, inner]) == outer


def too_wide(mounts: Sequence[tuple[str, str]], root: str | None) -> str | None:
    """A mount that would show the jail the workspace itself or the user's home, if any."""
    private = [pwd.getpwuid(os.getuid()).pw_dir, *([root] if root else [])]
    for host, _ in mounts:
        if any(_holds(host, place) for place in private):
            return host
    return None


def too_wide_message(python: str, mount: str) -> str:
    return (f"The bubblewrap jail would have to bind {mount} to run {python}, and that folder "
            "holds the workspace or your home directory: use a virtualenv (the workspace's "
            ".venv) or set sandbox.python to an interpreter installed elsewhere.")
