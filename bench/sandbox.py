"""Measures what a sandboxed test run costs on this machine: bare host pytest against the
process, bubblewrap and Docker backends (cold: a fresh container per run; warm: one reused
container, with and without an edited file), on one small project (examples/calc, 6 tests).

Writes bench/results/sandbox.json and prints a table. A measurement, never a test.
Run: .venv/bin/python bench/sandbox.py [--runs 20] [--project examples/calc]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path


from rich.console import Console
from rich.table import Table

from microagent.sandbox.docker_backend import DockerSandbox
from microagent.sandbox.engine import engine_status
from microagent.sandbox.process_backend import BubblewrapSandbox, ProcessSandbox
from microagent.languages.python.pytest_runner import PytestRunner
from microagent.sandbox.snapshot import read_workspace, write_snapshot
from microagent.sandbox.types import Sandbox, SandboxError, WorkspaceSnapshot

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "sandbox.json"


class HostPytest:
    """Bare pytest on the host as the sandbox runs it (under its witness), in a copy of the
    project."""

    def __init__(self, snapshot: WorkspaceSnapshot, tmp: Path):
        runner = PytestRunner()
        self.work = write_snapshot(snapshot, tmp / "work")
        self.argv = [sys.executable, *runner.argv([], "")[1:]]
        self.env = {"PATH": os.environ["PATH"], "HOME": str(tmp), "LANG": "C.UTF-8",
                    "PYTHONDONTWRITEBYTECODE": "1", **runner.env}

    async def run_once(self, round_number: int) -> None:
        proc = await asyncio.create_subprocess_exec(
            *self.argv, cwd=self.work, env=self.env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await proc.wait()


class SandboxRun:
    def __init__(
        self, box: Sandbox, snapshot: WorkspaceSnapshot, edit: bool = False, only_true: bool = False
    ):
        self.box, self.snapshot, self.edit, self.only_true = box, snapshot, edit, only_true

    async def run_once(self, round_number: int) -> None:
        if self.only_true:  # the fixed cost of a run: exec, workspace reset, status
            result = await self.box.run(self.snapshot, ["true"], timeout=60)
            if result.exit_code != 0:
                raise RuntimeError(f"{self.box.name}: `true` failed\n{result.output}")
            return
        current = self.snapshot
        if self.edit:  # what the repair loop does: one file changed between runs
            source = self.snapshot.text("calc.py") + f"\n# candidate {round_number}\n"
            current = self.snapshot.with_files({"calc.py": source})
        report = await self.box.run_tests(current, timeout=60)
        if not report.cases:
            raise RuntimeError(f"{self.box.name}: {report.status.value}\n{report.output}")


async def measure(
    snapshot: WorkspaceSnapshot, runs: int, tmp: Path
) -> dict[str, list[float] | str]:
    """Round-robin: every round runs each mode once, so a busy moment hits all modes alike."""
    modes: dict[str, HostPytest | SandboxRun] = {"host pytest": HostPytest(snapshot, tmp)}
    results: dict[str, list[float] | str] = {}
    modes["process"] = SandboxRun(ProcessSandbox(sys.executable, runner=PytestRunner()), snapshot)
    jail = BubblewrapSandbox(sys.executable, runner=PytestRunner())
    try:
        jail.check()
        modes["bubblewrap"] = SandboxRun(jail, snapshot)
    except SandboxError as exc:
        results["bubblewrap"] = f"unavailable: {exc}"
    boxes = []
    try:
        boxes = [DockerSandbox(warm=False, runner=PytestRunner()), DockerSandbox(runner=PytestRunner()), DockerSandbox(runner=PytestRunner()), DockerSandbox(runner=PytestRunner())]
        modes["docker cold"] = SandboxRun(boxes[0], snapshot)
        modes["docker warm"] = SandboxRun(boxes[1], snapshot)
        modes["docker warm, 1 file edited"] = SandboxRun(boxes[2], snapshot, edit=True)
        modes["docker warm, `true` only"] = SandboxRun(boxes[3], snapshot, only_true=True)
    except SandboxError as exc:
        results["docker"] = f"unavailable: {exc}"
    try:
        if boxes:
            version = await boxes[1].run(snapshot, ["python3", "-m", "pytest", "--version"])
            results["container pytest"] = version.output.strip()
        for mode in modes.values():  # warm-up: imports, page cache, the warm containers
            await mode.run_once(-1)
        times: dict[str, list[float]] = {name: [] for name in modes}
        for round_number in range(runs):
            for name, mode in modes.items():
                started = time.perf_counter()
                await mode.run_once(round_number)
                times[name].append(time.perf_counter() - started)
    finally:
        for box in boxes:
            await box.close()
    return {**times, **results}


def summary(times: list[float]) -> dict[str, float]:
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def machine() -> dict[str, object]:
    engine = engine_status()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "host pytest": metadata.version("pytest"),
        "docker engine": engine.version or engine.error,
        "docker sdk": metadata.version("docker"),
        "kernel": platform.release(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--project", type=Path, default=ROOT / "examples" / "calc")
    args = parser.parse_args()

    snapshot = read_workspace(args.project)
    with tempfile.TemporaryDirectory(prefix="microagent-bench-") as tmp:
        raw = asyncio.run(measure(snapshot, args.runs, Path(tmp)))
    host = statistics.median(raw["host pytest"])  # type: ignore[arg-type]
    rows = {}
    versions = {"container pytest": raw.pop("container pytest", "")}
    for name, times in raw.items():
        if isinstance(times, str):
            rows[name] = {"error": times}
        else:
            ratio = statistics.median(times) / host
            rows[name] = {**summary(times), "vs host": ratio, "runs": times}

    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "project": os.path.relpath(args.project, ROOT),
        "runs": args.runs,
        "machine": {**machine(), **versions},
        "load average before": os.getloadavg(),
        "seconds": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    table = Table(title=f"sandboxed test run, {results['project']}, {args.runs} runs (seconds)")
    for column in ("backend", "min", "median", "max", "median / host"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for name, row in rows.items():
        if "error" in row:
            table.add_row(name, "-", "-", "-", row["error"][:40])
        else:
            table.add_row(name, f"{row['min']:.3f}", f"{row['median']:.3f}", f"{row['max']:.3f}",
                          f"{row['vs host']:.2f}x")
    Console().print(table)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
