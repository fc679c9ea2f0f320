"""Runs microagent and peer tools on the same tasks, with the same local model and the same
iteration cap, and records solved and wall time side by side in bench/results/peers.json.

Each tool's result is written as soon as it is known; a second run skips what is recorded.
Scoring is ours, in the sandbox: the project's own tests (restored if a tool changed them), or
HumanEval's hidden test, which no tool ever sees.
Run from the checkout: .venv/bin/python -m microagent.bench.peers.run [--humaneval 10] [--no-examples] [--only NAME,...]
The repair set instead: .venv/bin/python -m microagent.bench.peers.run --repair bench/repair-set (peers-repair.json)
The TypeScript/JavaScript set (bench/ts-set): python -m microagent.bench.peers.ts_run (peers-ts.json)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from microagent.agents.config import Config, load_config, machine_settings
from microagent.agents.models.model_files import resolve_local_model
from microagent.agents.models.client import ModelClient
from microagent.agents.runtime import open_sandbox, run_task
from microagent.agents.types import Target, Task
from microagent.bench.humaneval import score as score_hidden
from microagent.bench.peers import micro_agent
from microagent.bench.peers.llama_server import serve
from microagent.bench.peers.tasks import REPAIR_PREFIX, PeerTask, example_tasks, humaneval_tasks, repair_tasks
from microagent.sandbox.types import Sandbox, WorkspaceSnapshot

RESULTS = Path(__file__).resolve().parents[1] / "results" / "peers.json"
REPAIR_RESULTS = RESULTS.with_name("peers-repair.json")
MICROAGENT = "microagent"
SCORE_ROOT = "peers-score"  # one sandbox workspace name for every scoring run


class PeerResults:
    """peers.json: the settings, then per task, per tool, one result."""

    def __init__(self, path: Path, settings: dict,
                 group: Callable[[str], str] | None = None) -> None:
        """`group` names a task's set in the summary (default: examples, humaneval, repair)."""
        self.path = path
        self.group = group or task_group
        self.data = {"settings": settings, "tasks": {}}
        if path.is_file():
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("settings", {}).get("max_iterations") == settings["max_iterations"]:
                self.data["tasks"] = old.get("tasks", {})

    def has(self, task: str, tool: str) -> bool:
        return tool in self.data["tasks"].get(task, {})

    def put(self, task: str, tool: str, result: dict) -> None:
        self.data["tasks"].setdefault(task, {})[tool] = result
        self.data["summary"] = summarize(self.data["tasks"], self.group)
        self.data["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2) + "\n", encoding="utf-8")


def task_group(name: str) -> str:
    return ("repair" if name.startswith(REPAIR_PREFIX) else
            "humaneval" if name.startswith("HumanEval/") else "examples")


def summarize(tasks: dict, group_of: Callable[[str], str] = task_group) -> dict:
    """Per tool and task set (examples, HumanEval, repair): solved, of, and seconds per task."""
    out: dict = {}
    for name, by_tool in tasks.items():
        group = group_of(name)
        for tool, result in by_tool.items():
            s = out.setdefault(tool, {}).setdefault(group, {"solved": 0, "of": 0, "seconds": 0.0})
            s["solved"] += bool(result.get("solved"))
            s["of"] += 1
            s["seconds"] = round(s["seconds"] + result.get("seconds", 0.0), 1)
    for groups in out.values():
        for s in groups.values():
            s["seconds_per_task"] = round(s["seconds"] / s["of"], 1)
    return out


async def score(task: PeerTask, files: dict[str, str], sandbox: Sandbox) -> dict:
    if task.hidden is not None:
        result = await score_hidden(sandbox, task.hidden, files.get(task.edit, ""), SCORE_ROOT)
        return {"solved": result["passed"], "check": result["score"]}
    # The tests as they were: a tool that edited them does not get to grade itself.
    tests = {p: t for p, t in task.files.items() if p.startswith("test_")}
    snapshot = WorkspaceSnapshot(root=SCORE_ROOT).with_files({**files, **tests})
    report = await sandbox.run_tests(snapshot, timeout=60)
    return {"solved": report.ok, "check": report.summary(),
            "tests_changed": any(files.get(p) != t for p, t in tests.items())}


async def run_microagent(task: PeerTask, config: Config, sandbox: Sandbox) -> dict:
    with tempfile.TemporaryDirectory(prefix="peers-microagent-") as root:
        _write(Path(root), task.files)
        client = ModelClient(config)
        started = time.monotonic()
        result = await run_task(Task(kind=task.kind, root=root, target=Target.parse(task.target)), config,
                                sandbox=sandbox, client=client)
        seconds = time.monotonic() - started
    files = {**task.files, **{e.path: e.content for e in result.edits}}
    return {**await score(task, files, sandbox), "seconds": round(seconds, 1),
            "status": result.status.value, "iterations": result.iterations,
            "tokens": result.tokens, "edited": sorted(e.path for e in result.edits)}


async def run_peer(task: PeerTask, cli: Path, endpoint: str, model: str, max_runs: int,
                   timeout: float, sandbox: Sandbox) -> dict:
    with tempfile.TemporaryDirectory(prefix="peers-micro-agent-") as root:
        folder = Path(root)
        _write(folder, task.files)
        run = await asyncio.to_thread(
            micro_agent.run, cli, folder, task.edit, task.tests,
            micro_agent.sandboxed_pytest(task.tests), endpoint=endpoint, model=model,
            max_runs=max_runs, timeout=timeout)
        files = {p: (folder / p).read_text(encoding="utf-8", errors="replace")
                 for p in task.files if (folder / p).is_file()}
    return {**await score(task, files, sandbox), "seconds": run.seconds, "runs": run.runs,
            "exit_code": run.exit_code, "timed_out": run.timed_out,
            "output_tail": "\n".join(run.output.strip().splitlines()[-25:])}


def _write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


async def compare(tasks: list[PeerTask], tools: list[str], results: PeerResults, config: Config,
                  *, model_name: str, install_dir: Path, timeout: float,
                  max_tokens: int = 0) -> None:
    sandbox, why = open_sandbox(config)
    print(f"sandbox {why}", flush=True)
    max_runs = config.loop.max_iterations
    try:
        with ExitStack() as stack:
            served = None
            for task in tasks:
                for tool in tools:
                    if results.has(task.name, tool):
                        continue
                    if tool == MICROAGENT:
                        result = await run_microagent(task, config, sandbox)
                    else:
                        if served is None:
                            cli = micro_agent.ensure_installed(install_dir)
                            log = results.path.parent / "peers-llama-server.log"
                            served = stack.enter_context(
                                serve(resolve_local_model(model_name, directory=machine_settings().model_dir), model_name, log=log,
                                      default_max_tokens=max_tokens or None))
                        result = await run_peer(task, cli, served.base_url, served.model,
                                                max_runs, timeout, sandbox)
                    results.put(task.name, tool, result)
                    print(f"{task.name:>20} {tool:<18} {'solved' if result['solved'] else 'not solved':<10} "
                          f"{result['seconds']:.0f} s", flush=True)
    finally:
        await sandbox.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--humaneval", type=int, default=10, help="HumanEval sample size (0: none)")
    parser.add_argument("--no-examples", action="store_true", help="skip the examples/ projects")
    parser.add_argument("--only", default=None, help="comma-separated task names")
    parser.add_argument("--tools", default=f"{MICROAGENT},{micro_agent.NAME}")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", help="an embedded model name")
    parser.add_argument("--max-iterations", type=int, default=4, help="for every tool")
    parser.add_argument("--backend", default="docker")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per peer task")
    parser.add_argument("--peer-max-tokens", type=int, default=1024,
                        help="served default for requests that send no max_tokens (0: none)")
    parser.add_argument("--install-dir", type=Path, default=micro_agent.DEFAULT_INSTALL)
    parser.add_argument("--repair", type=Path, default=None, metavar="DIR",
                        help="run the repair set built in DIR instead (default --out: "
                             "peers-repair.json)")
    parser.add_argument("--out", type=Path, default=None, help="default: results/peers.json")
    args = parser.parse_args(argv)

    if args.repair:
        tasks = repair_tasks(args.repair)
        out = args.out or REPAIR_RESULTS
    else:
        tasks = ([] if args.no_examples else example_tasks()) + (
            humaneval_tasks(args.humaneval) if args.humaneval else [])
        out = args.out or RESULTS
    if args.only:
        wanted = set(args.only.split(","))
        tasks = [t for t in tasks if t.name in wanted]
    config = load_config(None, overrides={
        "model": f"local/{args.model}", "loop.max_iterations": args.max_iterations,
        "loop.review": False, "sandbox.backend": args.backend})
    settings = {"model": args.model, "max_iterations": args.max_iterations,
                "microagent": {"review": False, "temperature": config.coder.temperature},
                micro_agent.NAME: {"server": "llama_cpp.server, n_ctx 8192",
                                   "temperature": "server default (0.8): it sends none",
                                   "max_tokens": args.peer_max_tokens or "none: until n_ctx"},
                "scoring": "examples and repair: the project's tests as shipped; "
                           "HumanEval: the hidden test"}
    results = PeerResults(out, settings)
    tools = [t for t in args.tools.split(",") if t]
    asyncio.run(compare(tasks, tools, results, config, model_name=args.model,
                        install_dir=args.install_dir, timeout=args.timeout,
                        max_tokens=args.peer_max_tokens))
    print(json.dumps(results.data.get("summary", {}), indent=2))


if __name__ == "__main__":
    main()
