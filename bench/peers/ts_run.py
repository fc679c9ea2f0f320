"""BuilderIO's micro-agent 0.1.5 on bench/ts-set, the TypeScript/JavaScript repair set.

The same local model as microagent's runs (`python -m microagent.bench.ts_set --mode
single|loop`), recorded in bench/results/peers-ts.json to set beside them. Scoring is bench/real's: the whole suite as
shipped, in our Node sandbox, on a fresh bugged copy holding only the file micro-agent rewrote.

Each task's result is written as soon as it is known; a second run skips what is recorded (with
the same max runs). A task that cannot be prepared is reported and left unrecorded.
Run from the checkout: .venv/bin/python -m microagent.bench.peers.ts_run [--kind small|npm|all]
    [--tasks NAME ...] [--max-runs 10] [--timeout 300] [--model qwen2.5-coder-1.5b]
Needs Docker (the Node image), npm on the host, and llama-cpp-python's server (make install-dev).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

import docker

from microagent.agents.config import machine_settings
from microagent.agents.models.model_files import ModelFileError, resolve_local_model
from microagent.bench.peers import micro_agent
from microagent.bench.peers.llama_server import Served, serve
from microagent.bench.peers.run import PeerResults
from microagent.bench.peers.ts_tasks import ORACLE_NOTE, node_layer, peer_job
from microagent.bench.real import (BenchError, RealTask, prepare, remove, revision, run_suite,
                                   select)
from microagent.bench.ts_set import CACHE, load, load_npm_tasks
from microagent.languages.typescript.test_files import is_test_file
from microagent.sandbox.engine import connect
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import SandboxError

RESULTS = Path(__file__).resolve().parents[1] / "results" / "peers-ts.json"
TOOL = micro_agent.NAME
OUTPUT_KEPT = 25  # last lines of micro-agent's output kept in a result
N_CTX = 8192
# The OpenAI client's message when no server answers: a harness failure, never a result.
UNREACHABLE = "Connection error."


@dataclass(frozen=True)
class PeerSettings:
    """One run's settings, the same for every task."""

    model: str = "qwen2.5-coder-1.5b"  # an embedded model's name, or a .gguf path
    max_runs: int = 10  # micro-agent's -m: how many times it may ask the model for code
    timeout: float = 300.0  # wall seconds a task, as microagent's loop default
    max_tokens: int = 1024  # served default for requests that send none (0: until n_ctx)
    install_dir: Path = micro_agent.DEFAULT_INSTALL

    def recorded(self) -> dict:
        """What peers-ts.json says about the run; `max_iterations` is what PeerResults keys
        a resumed run on."""
        return {"model": self.model, "max_iterations": self.max_runs,
                TOOL: {"server": f"llama_cpp.server, n_ctx {N_CTX}",
                       "temperature": "server default (0.8): it sends none",
                       "max_tokens": self.max_tokens or "none: until n_ctx",
                       "max_runs": self.max_runs, "timeout_seconds": self.timeout,
                       "file": ORACLE_NOTE,
                       "test_file": "-f: the first expected failing test's file",
                       "test_command": "the project's runner (vitest run / jest --ci) on that "
                                       "file, in a container of its node_modules layer, "
                                       "network off"},
                "scoring": "the whole suite as shipped (test files restored), in the Node "
                           "sandbox: solved when every test passes"}


def score(task: RealTask, text: str, cache: Path = CACHE) -> dict:
    """bench/real's suite run on a fresh bugged copy with `text` as the bug's file: tests, and
    any other file the tool touched, are as shipped."""
    root = prepare(task, cache)
    try:
        (root / task.file).write_text(text, encoding="utf-8")
        suite = asyncio.run(run_suite(root, task))
    finally:
        remove(root)
    return {"solved": bool(suite["ok"] and suite["collected"] == task.tests),  # as real.fix_task
            "check": f"{suite['passed']}/{suite['collected']} tests passing",
            "failing": suite["failing"], "suite_status": suite["status"]}


def run_task(task: RealTask, served: Served, cli: Path, client: docker.DockerClient,
             settings: PeerSettings, cache: Path = CACHE) -> dict:
    """micro-agent on a bugged copy of `task`, then scored; BenchError if it cannot start."""
    root = prepare(task, cache)
    try:
        job = peer_job(task, root)
        command = job.test_command(node_layer(root, client))
        before = read_workspace(root).files
        run = micro_agent.run(cli, root, job.file, job.test_file, command,
                              endpoint=served.base_url, model=served.model,
                              max_runs=settings.max_runs, timeout=settings.timeout)
        after = read_workspace(root).files
        text = (root / task.file).read_text(encoding="utf-8", errors="replace")
    finally:
        remove(root)
    output = run.output.strip().splitlines()
    if UNREACHABLE in run.output:
        raise BenchError(f"micro-agent could not reach the model server at {served.base_url} "
                         f"(left unrecorded); its output ends: {' | '.join(output[-3:])}")
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    return {**score(task, text, cache), "seconds": run.seconds, "runs": run.runs,
            "exit_code": run.exit_code, "timed_out": run.timed_out,
            # its watchdog: a test command silent for 20 s ends the run with status 0
            "silent_test_stop": "No test output for 20 seconds" in run.output,
            "changed": changed, "tests_changed": any(is_test_file(p) for p in changed),
            "file": job.file, "test_file": job.test_file, "runner": job.runner,
            "revision": revision(),
            "output_tail": "\n".join(output[-OUTPUT_KEPT:])}


def compare(tasks: list[RealTask], results: PeerResults, settings: PeerSettings, *,
            cache: Path = CACHE) -> None:
    """Each task not recorded yet; the model server starts at the first and stops at the end."""
    todo = [t for t in tasks if not results.has(t.name, TOOL)]
    for task in tasks:
        if task not in todo:
            print(f"{task.name:>20} recorded in {results.path.name}: skipped", flush=True)
    if not todo:
        return
    cli = micro_agent.ensure_installed(settings.install_dir)
    client = connect()
    log = results.path.with_suffix(".llama-server.log")
    try:
        model_path = resolve_local_model(settings.model, directory=machine_settings().model_dir)
        with serve(model_path, _alias(settings.model), n_ctx=N_CTX, log=log,
                   default_max_tokens=settings.max_tokens or None) as served:
            for task in todo:
                try:
                    result = run_task(task, served, cli, client, settings, cache)
                except (BenchError, SandboxError) as exc:
                    print(f"{task.name:>20} not run: {exc}", flush=True)
                    continue
                results.put(task.name, TOOL, result)
                print(f"{task.name:>20} {'solved' if result['solved'] else 'not solved':<10} "
                      f"{result['seconds']:.0f} s, {result['runs']} runs", flush=True)
    finally:
        client.close()


def _alias(model: str) -> str:
    """The served name: micro-agent sends a MODEL containing "llama" or "phi" to Ollama and
    "claude" to Anthropic (micro_agent.py), so such a name is served under a neutral one."""
    name = Path(model).stem if model.endswith(".gguf") else model
    return "local-model" if any(w in name.lower() for w in ("llama", "phi", "claude")) else name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("all", "small", "npm"), default="all")
    parser.add_argument("--tasks", nargs="+", default=None, metavar="NAME")
    parser.add_argument("--model", default=PeerSettings.model, help="an embedded model name")
    parser.add_argument("-m", "--max-runs", type=int, default=PeerSettings.max_runs)
    parser.add_argument("--timeout", type=float, default=PeerSettings.timeout,
                        help="wall seconds a task")
    parser.add_argument("--peer-max-tokens", type=int, default=PeerSettings.max_tokens,
                        help="served default for requests that send no max_tokens (0: none)")
    parser.add_argument("--install-dir", type=Path, default=micro_agent.DEFAULT_INSTALL)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the npm tarballs are kept")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.max_runs < 1 or args.timeout <= 0:
        parser.error("--max-runs must be at least 1 and --timeout above 0")
    try:
        tasks = select(load(args.kind, args.cache), args.tasks, None)
    except BenchError as exc:
        raise SystemExit(f"ts-set: {exc}") from None
    settings = PeerSettings(args.model, args.max_runs, args.timeout, args.peer_max_tokens,
                            args.install_dir)
    npm = {t.name for t in load_npm_tasks()}
    results = PeerResults(args.out, settings.recorded(),
                          group=lambda name: "npm" if name in npm else "small")
    try:
        compare(tasks, results, settings, cache=args.cache)
    except (SandboxError, ModelFileError, RuntimeError) as exc:  # no engine, model or server
        raise SystemExit(str(exc)) from None
    print(json.dumps(results.data.get("summary", {}), indent=2))


if __name__ == "__main__":
    main()
