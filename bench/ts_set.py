"""bench/ts-set: TypeScript/JavaScript repair tasks, each with one injected bug, driven by
bench/real's machinery (the same `bug.toml`, check and fix paths). Two kinds: projects written
for this set (`<name>/project/` and `<name>/bug.toml`), and real npm packages at exact versions
with their own jest suites (npm/tasks.toml), whose tarball's sha512 is checked before it is
unpacked. `--check` never calls a model.

Run: .venv/bin/python -m microagent.bench.ts_set --check          (every suite, as shipped and bugged)
     .venv/bin/python -m microagent.bench.ts_set --mode single|loop [--seconds 300]
                                                 [--tasks NAME ...] [--shard I/N] [--kind ...]
     .venv/bin/python -m microagent.bench.real --summary bench/results/ts-loop.jsonl
Writes bench/results/ts-check.json, or one JSON line a task to bench/results/ts-<mode>.jsonl
(a second run skips the tasks recorded). Needs Docker (the Node image) and npm on the host.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from microagent.bench.real import RESULTS, BenchError, RealTask, check, parse_shard, run, select

SET = Path(__file__).parent / "ts-set"
NPM = SET / "npm"  # tasks.toml, and each package's overlay: <name>/package.json, package-lock.json
CACHE = Path.home() / ".cache" / "microagent" / "bench-ts"
SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".mjs", ".cjs")
TEST_MARKS = (".test.", ".spec.", "__tests__")


@dataclass(frozen=True)
class NpmTask:
    """A published package: its tarball (`integrity`, npm's "sha512-<base64>") unpacked, the
    overlay's package.json and lockfile laid over it (our pinned runner instead of its
    development dependencies), and the bug injected into `file`."""

    name: str
    package: str
    version: str
    integrity: str
    file: str
    find: str
    replace: str
    bug: str
    kind: str
    tests: int
    expected_failing: list[str]
    runner: str = "jest"
    keep: list[str] = field(default_factory=list)  # what of the package runs, for a reader
    # Folders renamed before the overlay: a package whose published code sits in dist/, which
    # the workspace snapshot skips as build output (sandbox/snapshot.py), has it moved to lib/.
    move: dict[str, str] = field(default_factory=dict)


def modules_of(project: Path) -> int:
    """Source modules, tests and configs excluded."""
    return sum(1 for p in project.rglob("*")
               if p.suffix in SOURCE_SUFFIXES and "node_modules" not in p.parts
               and not any(m in str(p.relative_to(project)) for m in TEST_MARKS)
               and not p.name.startswith(("vitest.config", "jest.config")))


def load_small(folder: Path = SET) -> list[RealTask]:
    """The set's own projects, by name: `<name>/project/` with `<name>/bug.toml`."""
    tasks = []
    for bug_file in sorted(folder.glob("*/bug.toml")):
        bug = tomllib.loads(bug_file.read_text(encoding="utf-8"))
        project = bug_file.parent / "project"
        tasks.append(RealTask(
            name=bug_file.parent.name, project=bug_file.parent.name, version="", sha256="",
            file=bug["file"], find=bug["find"], replace=bug["replace"], bug=bug["bug"],
            tests=bug.get("tests", 0), expected_failing=bug["expected_failing"],
            modules=modules_of(project), cross_module=bug.get("cross_module", False),
            folder=str(project)))
    return tasks


def load_npm_tasks(path: Path = NPM / "tasks.toml") -> list[NpmTask]:
    return [NpmTask(**entry) for entry in tomllib.loads(path.read_text("utf-8"))["task"]]


def integrity_of(path: Path) -> str:
    """npm's integrity string for a file: "sha512-" and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch_tarball(task: NpmTask, cache: Path = CACHE, npm: str = "npm") -> Path:
    """The package's tarball from the cache, fetched with the host's `npm pack` when missing;
    BenchError when its integrity is not the task's (it is then never unpacked)."""
    tarball = cache / "tarballs" / f"{task.package}-{task.version}.tgz"
    if not tarball.is_file():
        tarball.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=tarball.parent) as tmp:
            done = subprocess.run(
                [npm, "pack", f"{task.package}@{task.version}", "--pack-destination", tmp,
                 "--ignore-scripts", "--silent"], capture_output=True, text=True, timeout=600)
            got = list(Path(tmp).glob("*.tgz"))
            if done.returncode != 0 or len(got) != 1:
                raise BenchError(f"npm pack {task.package}@{task.version} failed: "
                                 f"{done.stderr.strip()[-2000:]}")
            _verify(got[0], task)  # before it enters the cache
            got[0].rename(tarball)
    return _verify(tarball, task)


def _verify(tarball: Path, task: NpmTask) -> Path:
    found = integrity_of(tarball)
    if found != task.integrity:
        raise BenchError(f"{tarball.name}: integrity {found}, the task expects {task.integrity}; "
                         "refusing it (delete the file to fetch it again, or correct tasks.toml)")
    return tarball


def materialize(task: NpmTask, cache: Path = CACHE, overlays: Path = NPM) -> Path:
    """The package unpacked with its overlay, as a project folder (rebuilt on every call, so an
    edited overlay is never stale): what bench/real copies for each run."""
    tarball = fetch_tarball(task, cache)
    project = cache / "projects" / task.name
    shutil.rmtree(project, ignore_errors=True)
    project.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.parent) as tmp:
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        top = Path(tmp) / "package"  # npm's tarballs hold one folder of that name
        if not top.is_dir():
            raise BenchError(f"{tarball.name}: no package/ folder inside")
        for old, new in task.move.items():
            (top / old).rename(top / new)
        overlay = overlays / task.name
        if not overlay.is_dir():
            raise BenchError(f"{overlay} is missing: it holds the package.json and lockfile "
                             f"the task runs with")
        shutil.copytree(overlay, top, dirs_exist_ok=True)
        top.rename(project)
    return project


def load_npm(cache: Path = CACHE, path: Path = NPM / "tasks.toml") -> list[RealTask]:
    """The npm tasks as bench/real's tasks, each on its materialized project folder."""
    return [RealTask(name=t.name, project=t.package, version=t.version, sha256=t.integrity,
                     file=t.file, find=t.find, replace=t.replace, bug=t.bug, tests=t.tests,
                     expected_failing=t.expected_failing,
                     modules=modules_of(materialize(t, cache)),
                     folder=str(cache / "projects" / t.name))
            for t in load_npm_tasks(path)]


def load(kind: str, cache: Path = CACHE) -> list[RealTask]:
    return ((load_small() if kind in ("small", "all") else [])
            + (load_npm(cache) if kind in ("npm", "all") else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="no model: each suite as shipped and with its bug")
    parser.add_argument("--mode", choices=("loop", "single"), default="loop")
    parser.add_argument("--seconds", type=float, default=300.0, help="MICROAGENT_MAX_SECONDS")
    parser.add_argument("--kind", choices=("all", "small", "npm"), default="all",
                        help="the set's own projects, the npm packages, or both")
    parser.add_argument("--tasks", nargs="+", default=None, metavar="NAME")
    parser.add_argument("--shard", type=parse_shard, default=None, metavar="I/N")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the tarballs are kept")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    try:
        tasks = select(load(args.kind, args.cache), args.tasks, args.shard)
    except BenchError as exc:
        raise SystemExit(f"ts-set: {exc}") from None
    if args.check:
        check(tasks, args.cache, args.out or RESULTS / "ts-check.json")
    else:
        run(tasks, args.mode, args.seconds, args.cache, args.out or RESULTS / f"ts-{args.mode}.jsonl")


if __name__ == "__main__":
    main()
