"""bench/real: real projects from PyPI, each an exact sdist with its upstream pytest suite and one
injected bug (bench/real/tasks.toml), fixed with `microagent fix --backend docker --json` as a
user runs it. An sdist whose sha256 differs from the task's is never unpacked; `--check` never
calls a model. `--set bench/bug-set` runs the hand-written projects of that folder instead (each
`<name>/project/` with its tests, and `<name>/bug.toml` saying the bug), the same way.

Run: .venv/bin/python -m microagent.bench.real --check        (every suite, as shipped and bugged)
     .venv/bin/python -m microagent.bench.real --localize     (is the buggy function shown?)
     .venv/bin/python -m microagent.bench.real [--mode loop|single] [--seconds 300] [--tasks NAME ...] [--shard I/N]
     .venv/bin/python -m microagent.bench.real --summary bench/results/real-loop.jsonl
Writes bench/results/real-check.json, real-localization.json, or one JSON line a task to bench/results/real-<mode>.jsonl
(a second run skips the tasks recorded). Needs Docker, and pip on the host reaching the index.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from microagent.agents.config import load_config
from microagent.agents.runtime import open_sandbox
from microagent.bench.environment import forget_environment
from microagent.bench.real_report import print_summary
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Environment, TestReport

TASKS = Path(__file__).parent / "real" / "tasks.toml"
RESULTS = Path(__file__).parent / "results"
CACHE = Path.home() / ".cache" / "microagent" / "bench-real"
CLI = Path(sys.executable).with_name("microagent")
SUITE_TIMEOUT = 300.0  # seconds for one run of a whole suite
REPLY_KEPT = 6000  # characters of each Coder answer kept in the record
# agents/models/client.py ("... the model's context window") and llama_runner.py ("... exceeds
# the available context size")
OVERFLOW = ("context window", "context size")


class BenchError(Exception):
    """A task that cannot be prepared: its sdist or its bug is not what tasks.toml says."""


@dataclass(frozen=True)
class RealTask:
    name: str
    project: str
    version: str
    sha256: str
    file: str  # the bug's file, relative to the unpacked root
    find: str  # occurs exactly once in `file`
    replace: str
    bug: str  # what the bug is, for a reader of the results (never shown to the model)
    tests: int  # collected by the whole suite
    expected_failing: list[str]
    modules: int  # library modules, tests excluded
    needs_dependencies: bool = False  # its tests import what the sandbox image lacks
    src_layout: bool = False
    cross_module: bool = False  # no failing test's file is named after the bug's module
    requirements: list[str] = field(default_factory=list)  # MICROAGENT_SANDBOX_REQUIREMENTS
    folder: str = ""  # a project on disk (bench/bug-set/<name>/project) instead of an sdist


def load_tasks(path: Path = TASKS) -> list[RealTask]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [RealTask(**entry) for entry in data["task"]]


def load_set(folder: Path) -> list[RealTask]:
    """The hand-written tasks of `folder`: `<name>/project/` and `<name>/bug.toml`, by name."""
    tasks = []
    for bug_file in sorted(folder.glob("*/bug.toml")):
        bug = tomllib.loads(bug_file.read_text(encoding="utf-8"))
        project = bug_file.parent / "project"
        modules = [p for p in project.rglob("*.py")
                   if "tests" not in p.relative_to(project).parts and p.name != "conftest.py"]
        tasks.append(RealTask(
            name=bug_file.parent.name, project=bug_file.parent.name, version="", sha256="",
            file=bug["file"], find=bug["find"], replace=bug["replace"], bug=bug["bug"],
            tests=bug.get("tests", 0), expected_failing=bug["expected_failing"],
            modules=len(modules), src_layout=(project / "src").is_dir(),
            cross_module=bug.get("cross_module", False), folder=str(project)))
    return tasks


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sdist(path: Path, sha256: str) -> Path:
    found = sha256_of(path)
    if found != sha256.lower():
        raise BenchError(f"{path.name}: sha256 {found}, the task expects {sha256}; refusing it "
                         "(delete the file to download it again, or correct tasks.toml)")
    return path


def fetch_sdist(task: RealTask, cache: Path = CACHE) -> Path:
    """The task's sdist from the cache, downloaded with the host's pip when missing, verified."""
    folder = cache / f"{task.project}-{task.version}"
    found = sorted(folder.glob("*.tar.gz")) + sorted(folder.glob("*.zip"))
    if not found:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
                 ":all:", f"{task.project}=={task.version}", "--dest", tmp],
                capture_output=True, text=True, timeout=600)
            got = [p for p in Path(tmp).iterdir() if p.is_file()]
            if done.returncode != 0 or len(got) != 1:
                raise BenchError(f"pip download {task.project}=={task.version} failed: "
                                 f"{done.stderr.strip()[-2000:]}")
            verify_sdist(got[0], task.sha256)  # before it enters the cache
            found = [got[0].rename(folder / got[0].name)]
    return verify_sdist(found[0], task.sha256)


def unpack(sdist: Path, dest: Path) -> Path:
    """The sdist's single top folder, unpacked under `dest`."""
    if sdist.name.endswith(".zip"):
        shutil.unpack_archive(sdist, dest)
    else:
        with tarfile.open(sdist) as tar:
            tar.extractall(dest, filter="data")
    tops = [p for p in dest.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise BenchError(f"{sdist.name}: expected one top folder, found {len(tops)}")
    return tops[0]


def replace_once(path: Path, find: str, replace: str) -> None:
    text = path.read_text(encoding="utf-8")
    count = text.count(find)
    if count != 1:
        raise BenchError(f"{path}: the bug's `find` occurs {count} times, not once: {find!r}")
    path.write_text(text.replace(find, replace), encoding="utf-8")


def prepare(task: RealTask, cache_dir: Path = CACHE, *, bug: bool = True) -> Path:
    """A fresh copy of the project (a temporary folder the caller removes), with the bug."""
    where = Path(tempfile.mkdtemp(prefix=f"microagent-real-{task.name}-"))
    if task.folder:
        root = Path(shutil.copytree(task.folder, where / task.name))
    else:
        root = unpack(fetch_sdist(task, cache_dir), where)
    if bug:
        replace_once(root / task.file, task.find, task.replace)
    return root


def remove(root: Path) -> None:
    shutil.rmtree(root.parent, ignore_errors=True)  # the temporary folder `prepare` made


def _overrides(task: RealTask) -> dict:
    return {"sandbox.backend": "docker",
            **({"sandbox.requirements": task.requirements} if task.requirements else {})}


async def suite_report(root: Path, task: RealTask,
                       timeout: float = SUITE_TIMEOUT) -> tuple[TestReport, Environment]:
    """The whole suite in the Docker sandbox, as `microagent sandbox test` runs it (the
    environment layer first), with the task's requirements as `fix` gets them."""
    sandbox, _ = open_sandbox(load_config(root, overrides=_overrides(task)), root)
    try:
        snapshot = read_workspace(root)
        environment = await sandbox.prepare(snapshot)
        return await sandbox.run_tests(snapshot, None, timeout=timeout), environment
    finally:
        await sandbox.close()


async def run_suite(root: Path, task: RealTask, timeout: float = SUITE_TIMEOUT) -> dict:
    started = time.monotonic()
    report, environment = await suite_report(root, task, timeout)
    return {"status": report.status.value, "problem": report.problem or None,
            "collected": len(report.cases), "passed": len(report.passed),
            "skipped": len(report.skipped), "failing": [c.node_id for c in report.failed],
            "collection_errors": report.collection_errors, "ok": report.ok,
            "seconds": round(time.monotonic() - started, 1), "duration": round(report.duration, 1),
            "environment": environment.status, "environment_seconds": round(environment.seconds, 1)}


async def check_task(task: RealTask, cache: Path, *, fresh: bool = False) -> dict:
    root = prepare(task, cache, bug=False)
    try:
        if fresh:
            forget_environment(root, load_config(root, overrides=_overrides(task)))
        before = await run_suite(root, task)
        replace_once(root / task.file, task.find, task.replace)
        after = await run_suite(root, task)
    finally:
        remove(root)
    ok = (before["ok"] and not before["failing"] and before["status"] == "completed"
          and after["status"] == "completed" and 0 < len(after["failing"]) < after["collected"]
          and after["collected"] == before["collected"])
    return {"ok": ok, "tests": before["collected"], "passed_before": before["passed"],
            "failing_with_bug": after["failing"],
            "as_recorded": (sorted(after["failing"]) == sorted(task.expected_failing)
                            and before["collected"] == task.tests),
            "seconds": round(before["seconds"] + after["seconds"], 1),
            "environment_seconds": before["environment_seconds"],
            "before": before, "after": after}


def check(tasks: list[RealTask], cache: Path, out: Path, *, fresh: bool = False) -> dict:
    results: dict[str, dict] = {}
    for task in tasks:
        try:
            results[task.name] = asyncio.run(check_task(task, cache, fresh=fresh))
        except Exception as exc:  # noqa: BLE001 - one broken task is a line of the report
            results[task.name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        r = results[task.name]
        print(f"{task.name:>16} {'ok' if r['ok'] else 'NOT OK':<6} " + (
            r.get("error") or f"{r['passed_before']}/{r['tests']} passing as shipped, "
            f"{len(r['failing_with_bug'])} failing with the bug"
            f"{'' if r['as_recorded'] else ' (differs from tasks.toml)'}, {r['seconds']} s, "
            f"environment {r['before']['environment']} {r['environment_seconds']} s"), flush=True)
    data = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join([f"python -m microagent.bench.{Path(sys.argv[0]).stem}", *sys.argv[1:]]),
            "ok": sum(r["ok"] for r in results.values()), "of": len(results), "tasks": results}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def fix_env(task: RealTask, mode: str, seconds: float) -> dict[str, str]:
    env = {**os.environ, "MICROAGENT_MAX_SECONDS": str(seconds)}
    if mode == "single":  # one Coder answer: the first candidate, no line repairs
        env |= {"MICROAGENT_MAX_ITERATIONS": "1", "MICROAGENT_LINE_TRIES": "0",
                "MICROAGENT_MUTANTS": "0"}
    if task.requirements:
        env["MICROAGENT_SANDBOX_REQUIREMENTS"] = json.dumps(task.requirements)
    return env


def candidates(result: dict) -> list[dict]:
    """Each Coder answer's cost and fate, from the transcript (its messages left out)."""
    return [{"iteration": e.get("iteration"), "proposer": e.get("proposer"),
             "prompt_tokens": e.get("prompt_tokens"), "completion_tokens": e.get("completion_tokens"),
             "prompt_chars": sum(len(str(m.get("content", ""))) for m in e.get("messages", [])),
             "tests": e.get("tests"), "test_seconds": e.get("test_seconds"),
             "problem": e.get("problem"), "reply": (e.get("reply") or "")[:REPLY_KEPT]}
            for e in result.get("transcript", []) if e.get("role") == "coder"]


def mutations_tried(result: dict) -> dict:
    """The localizer's top lines and each mutant tried, with its tests and their times."""
    entries = result.get("transcript", [])
    return {"localizer": next((e for e in entries if e.get("role") == "localizer"), None),
            "mutants": [{k: e.get(k) for k in ("mutation", "suspiciousness", "tests",
                                                 "test_seconds")}
                        for e in entries if e.get("role") == "mutation"]}


def first_run(result: dict) -> dict | None:
    """The whole suite's first run in the loop: its size and times."""
    report = result.get("initial_report") or None
    return report and {"cases": len(report.get("cases", [])), "status": report.get("status"),
                       "seconds": round(report.get("duration", 0.0), 1),
                       "collection_seconds": report.get("collection_seconds")}


def fix_task(task: RealTask, mode: str, seconds: float, cache: Path) -> dict:
    root = prepare(task, cache)
    started = time.monotonic()
    try:
        done = subprocess.run([str(CLI), "fix", ".", "--backend", "docker", "--json", "--apply"],
                              cwd=root, env=fix_env(task, mode, seconds), capture_output=True,
                              text=True, timeout=seconds * 3 + 900)
        wall = round(time.monotonic() - started, 1)
        try:
            result = json.loads(done.stdout)
        except json.JSONDecodeError:
            return {"task": task.name, "status": "error", "solved": False, "wall_seconds": wall,
                    "message": (done.stderr or done.stdout).strip()[-2000:]}
        edits = result.get("edits") or []
        suite = asyncio.run(run_suite(root, task)) if edits else None
    finally:
        remove(root)
    problems = [c["problem"] or "" for c in candidates(result)]
    return {"task": task.name, "project": f"{task.project}=={task.version}", "mode": mode,
            "status": result["status"], "message": result["message"],
            "solved": bool(suite and suite["ok"] and suite["collected"] == task.tests),
            "suite_after": suite, "applied": "refused" not in done.stderr,
            "files": [e.get("path") for e in edits], "diff": "".join(e.get("diff", "") for e in edits),
            "iterations": result.get("iterations"), "proposer": result.get("proposer"),
            "wall_seconds": wall, "seconds": result.get("seconds", {}),
            "usage": result.get("usage", {}), "candidates": candidates(result),
            "environment": result.get("environment"), "seed": result.get("seed"),
            "initial_run": first_run(result), "mutations": mutations_tried(result),
            "context_overflow": any(o in text for o in OVERFLOW
                                    for text in [result["message"], *problems])}


def revision() -> str:
    """The commit of the checkout this benchmark runs from ("" outside a git checkout)."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def recorded(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {json.loads(line)["task"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()}


def run(tasks: list[RealTask], mode: str, seconds: float, cache: Path, out: Path) -> None:
    done = recorded(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        if task.name in done:
            print(f"{task.name:>16} recorded in {out.name}: skipped", flush=True)
            continue
        record = fix_task(task, mode, seconds, cache)
        record["when"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        record["revision"] = revision()
        with out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        print(f"{task.name:>16} {'solved' if record['solved'] else 'not solved':<10} "
              f"{record['status']:<9} {record['wall_seconds']} s", flush=True)


def parse_shard(text: str) -> tuple[int, int]:
    """'1/4' -> (1, 4): the second of four shards (shards count from 0, as bench humaneval's)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or int(match.group(2)) < 1 or int(match.group(1)) >= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"--shard {text!r}: use I/N with 0 <= I < N")
    return int(match.group(1)), int(match.group(2))


def select(tasks: list[RealTask], names: list[str] | None,
           shard: tuple[int, int] | None) -> list[RealTask]:
    if names:
        unknown = sorted(set(names) - {t.name for t in tasks})
        if unknown:
            raise SystemExit(f"unknown tasks: {', '.join(unknown)}")
        tasks = [t for t in tasks if t.name in names]
    if shard:
        tasks = [t for i, t in enumerate(tasks) if i % shard[1] == shard[0]]
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="no model: each suite as shipped and with its bug")
    parser.add_argument("--localize", action="store_true", help="no model: is the buggy "
                        "function among those the Coder is shown?")
    parser.add_argument("--likelihood", action="store_true", help="with --localize: the "
                        "mutants also in the order of the Coder model's log-likelihood")
    parser.add_argument("--fresh", action="store_true", help="with --check: remove each "
                        "project's environment layer first, so its build is measured")
    parser.add_argument("--mode", choices=("loop", "single"), default="loop")
    parser.add_argument("--seconds", type=float, default=300.0, help="MICROAGENT_MAX_SECONDS")
    parser.add_argument("--tasks", nargs="+", default=None, metavar="NAME")
    parser.add_argument("--shard", type=parse_shard, default=None, metavar="I/N")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the sdists are kept")
    parser.add_argument("--set", type=Path, default=None, metavar="DIR", help="the "
                        "hand-written tasks of DIR (bench/bug-set) instead of tasks.toml's sdists")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--summary", type=Path, default=None, metavar="FILE",
                        help="print the summary of a results file and exit")
    args = parser.parse_args()
    if args.summary:
        print_summary(args.summary)
        return
    tasks = select(load_set(args.set) if args.set else load_tasks(), args.tasks, args.shard)
    name = "bugs" if args.set else "real"
    if args.localize:
        from microagent.bench.real_localize import localize_all  # it builds on this module

        localize_all(tasks, args.cache, args.out or RESULTS / f"{name}-localization.json",
                     likelihood=args.likelihood)
    elif args.check:
        check(tasks, args.cache, args.out or RESULTS / f"{name}-check.json", fresh=args.fresh)
    else:
        run(tasks, args.mode, args.seconds, args.cache, args.out or RESULTS / f"{name}-{args.mode}.jsonl")


if __name__ == "__main__":
    main()
