"""bench/latency: how long a user waits. For examples/ and a fixed 20-task sample of the repair
set, each run as a user runs it (`microagent fix|implement --json`, a new process, the defaults,
the embedded model): the time to the edit (the fix proven, before the review) and to the end,
and beside each solved task the bound on this machine: the first Coder prompt's prefill, the
decoding of the smallest answer (the lines the fix changes) and one run of the tests, from rates
measured here. Also start-up: `microagent --help`, `--version` and the language server's
`initialize`.

Run alone (two cores: anything beside it slows it): .venv/bin/python -m microagent.bench.latency
    [--repair 20] [--no-examples] [--seconds 300] [--out FILE]
    .venv/bin/python -m microagent.bench.latency --startup   (start-up only, measured again)
(`MICROAGENT_LOCAL_PREFIX_CACHE_MB=0` in the environment: the same without the saved contexts.)
Writes bench/results/latency.json after each task (a second run skips the tasks recorded) and
bench/results/latency.png. `--seconds` caps a run's budget so an unsolved task ends; a solved
task's times do not depend on it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from microagent.bench.peers.tasks import PeerTask, example_tasks, repair_tasks
from microagent.bench.real import revision
from microagent.bench.repair_tasks import TASK_FILE

RESULTS = Path(__file__).parent / "results" / "latency.json"
REPAIR_SET = Path(__file__).parent / "repair-set"
BIN = Path(sys.executable).parent
MODEL = "qwen2.5-coder-1.5b"
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}


def sample(tasks: list[PeerTask], count: int) -> list[PeerTask]:
    """`count` tasks evenly spaced over the set sorted by name: the same sample every time."""
    ordered = sorted(tasks, key=lambda t: t.name)
    return [ordered[i * len(ordered) // count] for i in range(min(count, len(ordered)))]


def run_task(task: PeerTask, seconds: float) -> dict:
    """One CLI run in a fresh copy of the task's files; the record its `--json` prints."""
    with tempfile.TemporaryDirectory(prefix="latency-") as root:
        for name, text in task.files.items():
            (Path(root) / name).write_text(text, encoding="utf-8")
        command = [str(BIN / "microagent"), task.kind.value]
        command += [task.target] if task.kind.value == "implement" else []
        command += ["--workspace", root, "--json"]
        env = {**os.environ, "MICROAGENT_MAX_SECONDS": str(seconds)}
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=seconds + 300)
        wall = time.monotonic() - started
    try:
        record = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"status": "error", "wall_seconds": round(wall, 1),
                "error": (done.stderr or done.stdout)[-2000:]}
    coder = [e for e in record.get("transcript", []) if e.get("role") == "coder"]
    initial = record.get("initial_report") or {}
    seconds_by_phase = record.get("seconds", {})
    return {
        "status": record["status"],
        "wall_seconds": round(wall, 1),
        "to_edit": _round(seconds_by_phase.get("to_edit")),
        "to_end": _round(seconds_by_phase.get("total")),
        "proposer": record.get("proposer"),
        "coder_calls": len(coder),
        "first_prompt_tokens": coder[0]["prompt_tokens"] if coder else None,
        "completion_tokens": sum(e.get("completion_tokens", 0) for e in coder),
        "coder_prompt_tokens": sum(e.get("prompt_tokens", 0) for e in coder),
        "coder_cached_tokens": sum(e.get("cached_tokens", 0) for e in coder),
        "usage": {role: {k: u.get(k, 0) for k in ("calls", "prompt_tokens", "cached_tokens",
                                                  "completion_tokens")}
                  for role, u in record.get("usage", {}).items()},
        "test_run_seconds": _round(initial.get("duration")),
        "changed_lines": _changed_lines(task, record),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _changed_lines(task: PeerTask, record: dict) -> str:
    """The new lines of the run's edit (what a minimal answer writes); from the repair set's
    answer key for an unsolved repair task."""
    edits = {e["path"]: e["content"] for e in record.get("edits", [])}
    if not edits and task.name.startswith("repair/"):
        key = json.loads((REPAIR_SET / task.name.split("/", 1)[1].replace("/", "_")
                          / TASK_FILE).read_text())["mutation"]
        return key["original"]
    lines = []
    for path, new in edits.items():
        old = task.files.get(path, "")
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                lines.append(line[1:])
    return "\n".join(lines)


def rates(prompt: str) -> dict:
    """Prefill and decode rates of the embedded model here: a fresh load, one long prompt."""
    from microagent.agents.models.llama_runner import LlamaRunner, SamplingParams
    from microagent.agents.models.model_files import resolve_local_model

    runner = LlamaRunner(resolve_local_model(MODEL))
    result = runner.generate([{"role": "user", "content": prompt}],
                             SamplingParams(temperature=0.0, max_tokens=128))
    decode = (result.completion_tokens - 1) / (result.total_seconds - result.first_token_seconds)
    return {"model": MODEL, "load_seconds": round(runner.load_seconds, 2),
            "prompt_tokens": result.prompt_tokens,
            "prefill_tokens_per_second": round(result.prompt_tokens / result.first_token_seconds, 1),
            "decode_tokens_per_second": round(decode, 1), "tokenizer": runner}


def bound(run: dict, measured: dict) -> float | None:
    """Prefill of the first Coder prompt + decoding the changed lines + one test run; None for
    a run that asked the Coder nothing (a one-edit mutant fixed it without a model)."""
    if not run.get("first_prompt_tokens") or run.get("test_run_seconds") is None:
        return None
    answer = measured["tokenizer"].llama.tokenize(run["changed_lines"].encode(), add_bos=False)
    return round(run["first_prompt_tokens"] / measured["prefill_tokens_per_second"]
                 + (len(answer) + 1) / measured["decode_tokens_per_second"]
                 + run["test_run_seconds"], 1)


def startup(repeats: int = 5) -> dict:
    """Median wall seconds of the commands a script or an editor pays for on every start."""
    def timed(command: list[str], stdin: bytes | None = None) -> float:
        started = time.monotonic()
        subprocess.run(command, input=stdin, capture_output=True, timeout=120)
        return time.monotonic() - started

    cli = str(BIN / "microagent")
    body = json.dumps(INITIALIZE).encode()
    message = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    return {
        "microagent --help": round(statistics.median(timed([cli, "--help"]) for _ in range(repeats)), 3),
        "microagent --version": round(statistics.median(
            timed([cli, "--version"]) for _ in range(repeats)), 3),
        "microagent-lsp initialize": round(statistics.median(
            _initialize(message) for _ in range(repeats)), 3),
        "note": f"median of {repeats} runs each; from process start to the answer",
        "revision": revision(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }



def _initialize(message: bytes) -> float:
    """Seconds from starting `microagent-lsp` to its answer to `initialize`."""
    started = time.monotonic()
    server = subprocess.Popen([str(BIN / "microagent-lsp")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(message)
        server.stdin.flush()
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += server.stdout.read(1)
        server.stdout.read(int(header.split(b":")[1].split(b"\r")[0]))
        return time.monotonic() - started
    finally:
        server.kill()
        server.wait()


def summarize(runs: dict[str, dict]) -> dict:
    solved = {name: r for name, r in runs.items() if r.get("status") == "solved"}
    prompt = sum(u["prompt_tokens"] for r in runs.values() for u in r.get("usage", {}).values())
    cached = sum(u["cached_tokens"] for r in runs.values() for u in r.get("usage", {}).values())
    edit = [r["to_edit"] for r in solved.values() if r.get("to_edit") is not None]
    end = [r["to_end"] for r in solved.values() if r.get("to_end") is not None]
    bounds = [r["bound"] for r in solved.values() if r.get("bound") is not None]
    mean = (lambda xs: round(statistics.mean(xs), 1) if xs else None)
    proposers: dict[str, int] = {}
    for run in solved.values():
        proposers[run.get("proposer") or "?"] = proposers.get(run.get("proposer") or "?", 0) + 1
    return {"tasks": len(runs), "solved": len(solved), "solved_by_proposer": proposers,
            "solved_mean_to_edit": mean(edit), "solved_mean_to_end": mean(end),
            "solved_median_to_edit": round(statistics.median(edit), 1) if edit else None,
            "solved_mean_bound": mean(bounds),
            "to_edit_over_to_end": round(sum(edit) / sum(end), 3) if end else None,
            "prompt_tokens": prompt, "cached_tokens": cached, "prefill_tokens": prompt - cached,
            "prefill_tokens_per_task": round((prompt - cached) / len(runs), 1) if runs else None}


def chart(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    solved = [(n, r) for n, r in data["runs"].items() if r.get("status") == "solved"]
    names = [n.replace("repair/HumanEval/", "HE/") for n, _ in solved]
    figure, axes = plt.subplots(figsize=(10, 0.35 * len(names) + 1.5))
    rows = range(len(names))
    axes.barh(rows, [r["to_end"] for _, r in solved], color="#cccccc", label="to the end (review)")
    axes.barh(rows, [r["to_edit"] for _, r in solved], color="#3b7dd8", label="to the edit")
    axes.scatter([r.get("bound") or 0 for _, r in solved], rows, color="black", marker="|", s=200,
                 label="bound (prefill + minimal answer + one test run)", zorder=3)
    axes.set_yticks(list(rows), names)
    axes.invert_yaxis()
    axes.set_xlabel("seconds (one process, embedded model, 2 cores)")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repair", type=int, default=20, help="repair-set tasks (default 20)")
    parser.add_argument("--no-examples", action="store_true")
    parser.add_argument("--seconds", type=float, default=300.0, help="a run's budget")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--startup", action="store_true",
                        help="measure the start-up again and stop (no model, no sandbox)")
    args = parser.parse_args()

    data = json.loads(args.out.read_text()) if args.out.exists() else {"runs": {}}
    data.update({"command": "python -m microagent.bench.latency " + " ".join(sys.argv[1:]),
                 "machine": {"python": platform.python_version(), "cpus": os.cpu_count()}})
    if "startup" not in data or args.startup:
        data["startup"] = startup()
        print(data["startup"], flush=True)
        if args.startup:
            _write(args.out, data)
            return
    tasks = ([] if args.no_examples else example_tasks()) + sample(repair_tasks(REPAIR_SET),
                                                                     args.repair)
    data["sample"] = [t.name for t in tasks]
    for task in tasks:
        if task.name in data["runs"]:
            continue
        run = run_task(task, args.seconds)
        run["load_average"] = [round(x, 2) for x in os.getloadavg()]
        data["runs"][task.name] = run
        print(f"{task.name:28} {run['status']:9} edit {run.get('to_edit')} s, end "
              f"{run.get('to_end')} s", flush=True)
        _write(args.out, data)
    prompts = [r["first_prompt_tokens"] for r in data["runs"].values() if r.get("first_prompt_tokens")]
    size = int(statistics.median(prompts)) if prompts else 800
    measured = rates("Fix this function.\n" + "x = 1\n" * (size // 4))
    for run in data["runs"].values():
        run["bound"] = bound(run, measured)
    data["rates"] = {k: v for k, v in measured.items() if k != "tokenizer"}
    data["summary"] = summarize(data["runs"])
    data["when"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    _write(args.out, data)
    chart(data, args.out.with_suffix(".png"))
    print(json.dumps(data["summary"], indent=2))


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
