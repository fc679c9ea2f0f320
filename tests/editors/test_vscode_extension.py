"""The VS Code extension builds, lints, passes its unit tests and packages into a .vsix, the
way a developer would do it: `npm ci`, `npm run compile`, `npm run lint`, `node --test`,
`npx @vscode/vsce package`. npm's cache makes every run after the first one quick."""

from __future__ import annotations

import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from system_parts import node_tools

EXTENSION = Path(__file__).resolve().parents[2] / "editor-clients" / "vscode"

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    started = time.monotonic()
    done = subprocess.run(args, cwd=EXTENSION, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    took = time.monotonic() - started
    if done.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` failed with exit status {done.returncode} after "
                    f"{took:.0f} s in {EXTENSION}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}",
                    pytrace=False)
    return done


def test_the_extension_builds_lints_tests_and_packages():
    npm, npx, node = node_tools()
    for stale in EXTENSION.glob("*.vsix"):
        stale.unlink()
    run(npm, "ci", "--no-audit", "--no-fund")
    run(npm, "run", "compile")
    run(npm, "run", "lint")
    tests = sorted(str(p.relative_to(EXTENSION)) for p in (EXTENSION / "out" / "test").glob("*.test.js"))
    assert tests, "the compile step produced no unit tests under out/test"
    report = run(node, "--test", *tests)
    assert "# fail 0" in report.stdout, report.stdout[-2000:]
    packaged = run(npx, "--no-install", "@vscode/vsce", "package", "--allow-missing-repository")
    vsix = list(EXTENSION.glob("*.vsix"))
    assert len(vsix) == 1, packaged.stdout
    with zipfile.ZipFile(vsix[0]) as archive:
        names = set(archive.namelist())
    for needed in ("extension/package.json", "extension/out/extension.js", "extension/out/server.js",
                   "extension/node_modules/vscode-languageclient/package.json"):
        assert needed in names, f"{vsix[0].name} lacks {needed}"
    assert not any(n.startswith("extension/src/") or "/out/test/" in n for n in names)
