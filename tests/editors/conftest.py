"""What the code-server tests share: the extension packaged from this repository and installed
once a session (about 20 s of npm and vsce), however many test modules drive it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vscode_session import Tools, install_extension, package_extension, tools


@pytest.fixture(scope="session")
def vscode_extension(tmp_path_factory) -> tuple[Tools, Path, float]:
    """The tools (skips, saying how to install them, without), the extensions folder holding
    the packaged extension, and the seconds packaging and installing took."""
    found = tools()
    work = tmp_path_factory.mktemp("vscode-extension")
    started = time.monotonic()
    vsix = package_extension(work)
    extensions = work / "extensions"
    install_extension(found, vsix, extensions, work / "install-user-data")
    return found, extensions, round(time.monotonic() - started, 1)
