"""Fetches what a Node workspace's node_modules needs: on the host, with the user's own npm and
its configuration (registry, proxy, ~/.npmrc), into an npm cache that the sandbox then installs
from with no network (sandbox/node_env.py).

`npm ci --ignore-scripts` from the workspace's lockfile into a throwaway directory fills the
cache. Install scripts never run here (the lockfile names code nobody has reviewed), and the
workspace's own code is never loaded on the host.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from microagent.sandbox.types import EnvironmentFailed, Progress, WorkspaceSnapshot

MANIFEST = "package.json"
LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json")  # npm's own order: shrinkwrap first
OTHER_LOCKFILES = {"yarn.lock": "yarn", "pnpm-lock.yaml": "pnpm", "bun.lockb": "bun",
                   "bun.lock": "bun"}
NPM_TAIL_LINES = 25
# The sandbox's platform, for packages that ship one binary per platform (esbuild, rollup):
# the host fetches the container's, whatever the host is.
PLATFORM = ("--os=linux", "--cpu=x64", "--libc=glibc")
# Quiet, reproducible, no report sent anywhere; and never a lifecycle script (see above).
NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=warn",
          "--progress=false", "--update-notifier=false")
NPM_INSTALL = ("install", *NPM_CI[1:])


@dataclass(frozen=True)
class Lockfile:
    """A workspace's package.json and npm lockfile, as the snapshot holds them."""

    name: str  # "package-lock.json"
    manifest: bytes
    text: bytes

    def runners(self) -> dict[str, str]:
        """The test runners the lockfile installs at the top level: {"vitest": "3.2.4"}."""
        packages = json.loads(self.text).get("packages", {})
        return {name: packages[f"node_modules/{name}"].get("version", "")
                for name in ("vitest", "jest") if f"node_modules/{name}" in packages}


def read_lockfile(snapshot: WorkspaceSnapshot) -> Lockfile:
    """The workspace's npm lockfile; EnvironmentFailed saying what to commit when there is none
    or when npm could not install from it without the network or the workspace's folders."""
    files = snapshot.files
    if MANIFEST not in files:
        raise EnvironmentFailed("This workspace has no package.json at its root, so the Node "
                                "sandbox has nothing to install: open the project's root folder.")
    name = next((n for n in LOCKFILES if n in files), None)
    if name is None:
        other = next((tool for n, tool in OTHER_LOCKFILES.items() if n in files), None)
        found = f" (it has {other}'s lockfile; only npm's is read)" if other else ""
        raise EnvironmentFailed(
            f"This workspace has no package-lock.json{found}. The Docker sandbox installs "
            "node_modules from npm's lockfile only, so that the tests run with the versions you "
            "pinned: run `npm install --package-lock-only --ignore-scripts` in the project and "
            "commit package-lock.json, then run again.")
    lockfile = Lockfile(name, files[MANIFEST], files[name])
    try:
        lock = json.loads(lockfile.text)
        json.loads(lockfile.manifest)
    except ValueError as exc:
        raise EnvironmentFailed(f"The workspace's {name} or package.json is not valid JSON "
                                f"({exc}); fix it (npm install regenerates the lockfile).") from exc
    packages = lock.get("packages") if isinstance(lock, dict) else None
    if not isinstance(packages, dict):
        raise EnvironmentFailed(f"The workspace's {name} is from npm 6 or older (no \"packages\" "
                                "section): run `npm install --package-lock-only` with npm 7 or "
                                "later and commit it.")
    for path, entry in packages.items():
        resolved = str(entry.get("resolved", "")) if isinstance(entry, dict) else ""
        if resolved.startswith(("git", "github:")):
            raise EnvironmentFailed(
                f"{name} installs {path} from git ({resolved}): npm runs a git dependency's "
                "prepare script to pack it, which the sandbox never lets a dependency do. "
                "Depend on a published version instead.")
        if isinstance(entry, dict) and entry.get("link"):
            raise EnvironmentFailed(
                f"{name} links {path} to {entry.get('resolved')} (npm workspaces or a file: "
                "dependency): the Docker sandbox installs registry packages only so far; run "
                "with --backend process or bubblewrap instead.")
    return lockfile


def fill_npm_cache(lockfile: Lockfile, cache: Path, progress: Progress, *, npm: str = "npm",
                   add: Sequence[str] = (),
                   run=subprocess.Popen) -> Lockfile:  # type: ignore[no-untyped-def]
    """Run `npm ci --ignore-scripts` on the host in a temporary copy of the two files, with
    `cache` as npm's cache, and return the lockfile to install in the sandbox: the workspace's,
    or with `add` (npm specs, "vitest@3.2.7") `npm install`ed into it, resolved by npm against
    the pinned tree. EnvironmentFailed with npm's own error when npm fails."""
    if shutil.which(npm) is None:
        raise EnvironmentFailed("The Node sandbox fetches node_modules with the host's npm, and "
                                "there is none: install Node.js and npm, then run again.")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="microagent-npm-") as tmp:
        folder = Path(tmp)
        (folder / MANIFEST).write_bytes(lockfile.manifest)
        (folder / lockfile.name).write_bytes(lockfile.text)
        common = [*PLATFORM, "--prefer-offline", "--cache", str(cache)]
        if add:
            progress(f"adding {', '.join(add)} (the project's lockfile has none): npm install "
                     "--ignore-scripts on the host")
            _run_npm([npm, *NPM_INSTALL, "--save-dev", "--save-exact", *common, *add], folder,
                     progress, run, lockfile.name)
            lockfile = Lockfile(lockfile.name, (folder / MANIFEST).read_bytes(),
                                (folder / lockfile.name).read_bytes())
            # `npm install` caches some packuments whole, and `npm ci --offline` asks for the
            # abbreviated ones: the ci below caches what the sandbox's ci will ask for.
            shutil.rmtree(folder / "node_modules", ignore_errors=True)
        progress(f"fetching node_modules on the host: npm ci --ignore-scripts from {lockfile.name}")
        _run_npm([npm, *NPM_CI, *common], folder, progress, run, lockfile.name)
        return lockfile


def _run_npm(argv: list[str], folder: Path, progress: Progress, run,  # type: ignore[no-untyped-def]
             name: str) -> None:
    try:
        proc = run(argv, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                   errors="replace", stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise EnvironmentFailed(f"Cannot run npm on the host ({exc}).") from exc
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip():
            progress(line.rstrip())
            tail = (tail + [line.rstrip()])[-NPM_TAIL_LINES:]
    if proc.wait() != 0:
        raise EnvironmentFailed(
            "npm could not fetch the workspace's packages on the host:\n" + "\n".join(tail)
            + f"\nFix package.json and {name} (npm ci must work in the project), or npm's "
            "registry and proxy settings, then run again.")
