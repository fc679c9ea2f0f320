"""Measures what the HTTP path adds to a run: the same scripted fix (examples-sized: one module,
two tests, process sandbox) run in-process through `run_task`, and through `microagent serve`
with the openai-style request, non-streamed and streamed. Runs alternate so both see the same
machine load.

Writes bench/results/api.json and prints a table. A measurement, never a test.
Run: .venv/bin/python bench/api.py [--runs 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from microagent.agents.config import load_config
from microagent.agents.runtime import run_task
from microagent.agents.models.scripted_model import register_scripted_provider
from microagent.agents.types import Task
from microagent.bench import model_server
from microagent.server.api.chat_request import Message
from microagent.server.api.run_job import write_files
from microagent.server.api.task_from_messages import task_from_messages

RESULTS = Path(__file__).parent / "results" / "api.json"
MICROAGENT = Path(sys.executable).with_name("microagent")
ROLES = {"coder": "scripted/coder", "tester": "scripted/tester", "reviewer": "scripted/reviewer"}
REPLIES = [{"model": "coder", "reply": "```python\n# file: calc.py\ndef add(a, b):\n    return a + b\n```",
            "repeat": True},
           {"model": "reviewer", "reply": "[]", "repeat": True}]
MESSAGE = ("The tests fail, fix calc.py.\n\n```python\n# file: calc.py\ndef add(a, b):\n    return a - b\n```\n\n"
           "```python\nfrom calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n"
           "def test_zero():\n    assert add(0, 0) == 0\n```")
BODY = {"model": "microagent", "messages": [{"role": "user", "content": MESSAGE}]}


async def in_process(config) -> float:
    """What the server does for a request, without HTTP: read the task, a folder, run_task."""
    began = time.perf_counter()
    task = task_from_messages([Message("user", MESSAGE)], {})
    root = Path(tempfile.mkdtemp(prefix="microagent-bench-"))
    try:
        write_files(root, task.files)
        result = await run_task(Task(kind=task.kind, root=str(root), target=task.target), config)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert result.status.value == "solved", result.message
    return time.perf_counter() - began


def over_http(client: httpx.Client, url: str) -> tuple[float, float]:
    """(client wall seconds, the server's own wall seconds for the run)."""
    began = time.perf_counter()
    response = client.post(f"{url}/chat/completions", json=BODY)
    wall = time.perf_counter() - began
    response.raise_for_status()
    details = response.json()["microagent"]
    assert details["status"] == "solved", details["message"]
    return wall, details["phase_seconds"]["total"]


def streamed(client: httpx.Client, url: str) -> tuple[float, float]:
    """(seconds to the first progress chunk, seconds to [DONE])."""
    began = time.perf_counter()
    first = None
    with client.stream("POST", f"{url}/chat/completions", json={**BODY, "stream": True}) as response:
        for line in response.iter_lines():
            if first is None and '"microagent"' in line:
                first = time.perf_counter() - began
            if line == "data: [DONE]":
                break
    return first or 0.0, time.perf_counter() - began


def stats(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(statistics.median(samples), 4), "p99": round(cuts[98], 4),
            "mean": round(statistics.fmean(samples), 4), "min": round(min(samples), 4),
            "max": round(max(samples), 4)}


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    script = folder / "script.json"
    script.write_text(json.dumps({"replies": REPLIES}))
    port = model_server.free_port()
    env = {**os.environ, "MICROAGENT_SCRIPT": str(script), "MICROAGENT_SANDBOX_BACKEND": "process",
           "MICROAGENT_API_KEY": "", **{f"MICROAGENT_{r.upper()}_MODEL": m for r, m in ROLES.items()}}
    process = subprocess.Popen([str(MICROAGENT), "serve", "--port", str(port)], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    model_server.wait_for_http(f"{root}/healthz", process, 120, "the server")
    return process, f"{root}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    console = Console()

    register_scripted_provider(REPLIES)
    config = load_config(None, {**{f"{r}.model": m for r, m in ROLES.items()},
                                "sandbox.backend": "process"}, env={})
    samples: dict[str, list[float]] = {"in_process": [], "http": [], "http_server_run": [],
                                       "http_overhead": [], "stream_first_progress": [],
                                       "stream_done": []}
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        loop = asyncio.new_event_loop()
        try:
            with httpx.Client(timeout=600) as client:
                for i in range(args.warmup + args.runs):
                    inproc = loop.run_until_complete(in_process(config))
                    wall, run = over_http(client, url)
                    first, done = streamed(client, url)
                    if i < args.warmup:
                        continue
                    samples["in_process"].append(inproc)
                    samples["http"].append(wall)
                    samples["http_server_run"].append(run)
                    samples["http_overhead"].append(wall - run)
                    samples["stream_first_progress"].append(first)
                    samples["stream_done"].append(done)
                    console.print(f"[dim]{i + 1 - args.warmup}/{args.runs}: in-process {inproc:.3f} s, "
                                  f"http {wall:.3f} s, stream {done:.3f} s[/]")
        finally:
            loop.close()
            process.terminate()
            process.wait(60)

    summary = {name: stats(values) for name, values in samples.items()}
    summary["difference_http_minus_in_process"] = {
        "p50": round(summary["http"]["p50"] - summary["in_process"]["p50"], 4),
        "p99": round(summary["http"]["p99"] - summary["in_process"]["p99"], 4)}
    result = {
        "what": "one scripted fix (2 tests, process sandbox) in-process vs through microagent serve",
        "runs": args.runs, "warmup": args.warmup,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "versions": {d: metadata.version(d) for d in ("fastapi", "uvicorn", "starlette", "httpx", "litellm")},
        "seconds": summary,
        "notes": ("http_overhead = client wall time minus the server's own run time (the loop's "
                  "phase total) per request: HTTP, JSON, parsing the task, the temporary folder "
                  "and the queue. The machine was shared with other test runs."),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    table = Table(title=f"HTTP API overhead, {args.runs} requests (seconds)")
    for column in ("path", "p50", "p99", "mean", "min", "max"):
        table.add_column(column, justify="right" if column != "path" else "left")
    for name, row in summary.items():
        table.add_row(name, *(f"{row.get(k, ''):.4f}" if k in row else "" for k in ("p50", "p99", "mean", "min", "max")))
    console.print(table)
    console.print(f"wrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
