"""The examples/ projects (two fixes and one implement-from-tests), each run as the editor runs
it, with the defaults (24 candidates, the embedded model), once per seed: solved, seconds and
tokens per run, and over the seeds the mean and the range, since one run of a small set says
little (issue 20: a task solved in one run can fail the next).

Run: .venv/bin/python -m microagent.bench.examples [--seeds 1 2 3] [--backend docker]
Writes bench/results/examples.json. Scoring: the project's own tests as shipped, in the sandbox.
Seeds run in separate processes (`--seeds 1 --out a.json`, ...) are joined with
`--merge a.json b.json c.json` (into --out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
from datetime import datetime, timezone
from pathlib import Path

from microagent.agents.config import load_config
from microagent.agents.runtime import open_sandbox
from microagent.bench.peers.run import run_microagent
from microagent.bench.peers.tasks import example_tasks

RESULTS = Path(__file__).parent / "results" / "examples.json"


def spread(values: list[float]) -> dict:
    return {"mean": round(statistics.mean(values), 2), "min": min(values), "max": max(values)}


def summarize(runs: dict[int, dict[str, dict]]) -> dict:
    """Per seed the examples solved; per example how many seeds solved it; mean and range."""
    names = sorted({name for by_task in runs.values() for name in by_task})
    solved = [sum(r["solved"] for r in by_task.values()) for by_task in runs.values()]
    return {"examples": len(names), "seeds": sorted(runs),
            "solved_per_seed": dict(zip(sorted(runs), solved)),
            "solved": spread(solved),
            "seconds_per_run": spread([r["seconds"] for by in runs.values() for r in by.values()]),
            "by_example": {name: {"solved_by_seeds": sum(runs[s][name]["solved"] for s in runs),
                                  "seconds": [runs[s][name]["seconds"] for s in sorted(runs)]}
                           for name in names}}


async def run(seeds: list[int], backend: str, model: str) -> dict:
    tasks = example_tasks()
    runs: dict[int, dict[str, dict]] = {}
    base = load_config(None, overrides={"model": f"local/{model}", "sandbox.backend": backend})
    sandbox, why = open_sandbox(base)
    print(f"sandbox {why}", flush=True)
    try:
        for seed in seeds:
            config = load_config(None, overrides={"model": f"local/{model}",
                                                  "sandbox.backend": backend, "loop.seed": seed})
            for task in tasks:
                result = await run_microagent(task, config, sandbox)
                runs.setdefault(seed, {})[task.name] = result
                print(f"seed {seed} {task.name:>10} {'solved' if result['solved'] else 'not solved':<10}"
                      f" {result['status']:<9} {result['seconds']:.0f} s", flush=True)
    finally:
        await sandbox.close()
    return {"benchmark": "examples/, the defaults, once per seed",
            "command": "python -m microagent.bench.examples --seeds " + " ".join(map(str, seeds)),
            "model": model, "max_iterations": base.loop.max_iterations,
            "review": base.loop.review, "threads": os.environ.get("MICROAGENT_LOCAL_THREADS"),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "summary": summarize(runs), "runs": {str(s): r for s, r in runs.items()}}


def merge(paths: list[Path]) -> dict:
    """Runs of other seeds, each written by its own process, as one result."""
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    runs = {int(seed): by_task for part in parts for seed, by_task in part["runs"].items()}
    seeds = " ".join(str(s) for s in sorted(runs))
    return {**parts[0], "command": f"python -m microagent.bench.examples --seeds {seeds} "
                                   f"(one process per seed, merged)",
            "summary": summarize(runs), "runs": {str(s): runs[s] for s in sorted(runs)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--backend", default="docker")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--merge", type=Path, nargs="+", default=None, metavar="JSON")
    args = parser.parse_args()
    out = merge(args.merge) if args.merge else asyncio.run(run(args.seeds, args.backend, args.model))
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["summary"], indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
