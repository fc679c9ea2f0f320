"""The ceiling: n sampled answers per HumanEval problem, for the plain prompt and for the Coder's
own first call, scored by the hidden test; the unbiased pass@k, and pass@1 of a sample picked
among those that pass the docstring examples (what selection by the visible tests could win).

Run: .venv/bin/python -m microagent.bench.passk [--samples 10] [--temperature 0.8]
       [--tasks 0,5,...] [--limit N] [--backend docker]
One JSON line per problem in bench/results/passk-<model>.jsonl (resumable), summary beside it.
The hidden test only scores; no prompt or role ever sees it.

With `--repair bench/repair-set`: the same for the repair set, where the task's own test is the
only test: n sampled answers of the Coder's first call (its fix prompt with the failing output),
each applied and tested as `microagent fix . --apply` would (passk-repair-<model>.jsonl).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from math import comb
from pathlib import Path
from typing import Any, Callable

from microagent.agents.runtime import open_sandbox
from microagent.agents.selection import EXAMPLES_FILE, plan_tests
from microagent.agents.types import Target, Task, TaskKind
from microagent.bench.humaneval import RESULTS_DIR, HumanEvalBench, ResultsFile, bench_config
from microagent.bench.humaneval_tasks import (SOLUTION, Problem, load_problems, parse_ids, select,
                                              workspace_files)
from microagent.bench.repair import RepairBench
from microagent.bench.repair_tasks import RepairTask, load_set
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Sandbox

PROMPTS = {"plain": "plain", "coder": "single"}  # what is sampled -> the bench mode that asks it
# The Coder's own prompt (its tests and their output on the stub): the repair proposer on the
# untouched original asks exactly that; `first` would ask the plain prompt for a docstring spec.
SCHEDULES = {"plain": None, "coder": ["repair"]}
KS = (1, 5, 10)


def _with_schedule(overrides: dict, prompt: str) -> dict:
    schedule = SCHEDULES[prompt]
    return {**overrides, "loop.schedule": schedule} if schedule else overrides


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate (Chen et al. 2021): 1 - C(n-c, k) / C(n, k)."""
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


class PassKBench:
    """For each problem, `samples` answers per prompt, each scored on the hidden test and on the
    visible (docstring-example) tests."""

    def __init__(self, sandbox: Sandbox, samples: int, temperature: float, *,
                 backend: str | None = None, overrides: dict | None = None,
                 env: dict | None = None) -> None:
        self.samples = samples
        overrides = {**(overrides or {}), "coder.temperature": temperature}
        self.benches = {prompt: HumanEvalBench(bench_config(mode, _with_schedule(overrides, prompt),
                                                            backend=backend,
                                                            env=env), mode, sandbox)
                        for prompt, mode in PROMPTS.items()}
        self.sandbox = sandbox
        self.settings = {"samples": samples, "temperature": temperature,
                         "coder": self.benches["coder"].config.coder.model}

    def close(self) -> None:
        for bench in self.benches.values():
            bench.close()

    async def solve(self, problem: Problem) -> dict:
        record = {"task_id": problem.task_id, "settings": self.settings}
        for prompt, bench in self.benches.items():
            outcomes = []
            for _ in range(self.samples):
                answer = await bench.solve(problem)
                visible = await self.visible(bench, problem, answer["solution"])
                outcomes.append({"hidden": answer["passed"], "visible": visible,
                                 "tokens": answer["completion_tokens"]})
            record[prompt] = outcomes
        return record

    async def visible(self, bench: HumanEvalBench, problem: Problem, solution: str) -> bool | None:
        """Whether `solution` passes the problem's docstring examples (the loop's visible tests,
        made from the prompt as given); None when it has none."""
        bench.empty_workspace()
        for path, text in workspace_files(problem).items():
            (bench.workspace / path).write_text(text, encoding="utf-8")
        task = Task(kind=TaskKind.implement, root=str(bench.workspace), target=Target.parse(problem.target))
        plan = plan_tests(task, read_workspace(bench.workspace))
        if plan.problem or plan.selection != [EXAMPLES_FILE]:
            return None
        snapshot = plan.snapshot.with_files({SOLUTION: solution})
        report = await self.sandbox.run_tests(snapshot, plan.selection, timeout=10.0)
        return report.ok


def summarize(records: list[dict], settings: dict) -> dict:
    summary: dict = {"benchmark": "HumanEval pass@k", "settings": settings,
                     "problems": len(records)}
    for prompt in PROMPTS:
        rows = [r[prompt] for r in records if prompt in r]
        n = [len(o) for o in rows]
        c = [sum(x["hidden"] for x in o) for o in rows]
        out = {f"pass@{k}": round(sum(pass_at_k(a, b, k) for a, b in zip(n, c)) / len(rows), 4)
               for k in KS if rows and min(n) >= k}
        picked = []  # pass@1 of a sample drawn among those that pass the visible tests
        for outcomes in rows:
            passing = [x for x in outcomes if x["visible"]]
            pool = passing or outcomes
            picked.append(sum(x["hidden"] for x in pool) / len(pool))
        out["pass@1 picked by the visible tests"] = round(sum(picked) / len(picked), 4) if picked else None
        out["problems with a visible-passing sample that fails the hidden test"] = sum(
            any(x["visible"] and not x["hidden"] for x in o) for o in rows)
        out["completion tokens per sample"] = round(
            sum(x["tokens"] for o in rows for x in o) / max(1, sum(n)), 1)
        summary[prompt] = out
    return summary


class RepairPassK:
    """For each repair task, `samples` answers of the Coder's fix prompt at `temperature`, each
    applied to a fresh copy and scored by the task's own test (the bench's `single` mode)."""

    def __init__(self, sandbox: Sandbox, samples: int, temperature: float, set_dir: Path, *,
                 backend: str | None = None, overrides: dict | None = None,
                 env: dict | None = None) -> None:
        self.samples = samples
        config = bench_config("single", {**(overrides or {}), "coder.temperature": temperature},
                              backend=backend, env=env)
        self.bench = RepairBench(config, "single", sandbox, set_dir)
        self.settings = {"samples": samples, "temperature": temperature,
                         "coder": config.coder.model, "set": set_dir.name}

    def close(self) -> None:
        self.bench.close()

    async def solve(self, task: RepairTask) -> dict:
        outcomes = []
        for _ in range(self.samples):
            answer = await self.bench.solve(task)
            outcomes.append({"hidden": answer["solved"], "visible": answer["solved"],
                             "tokens": answer["tokens"]})
        return {"task_id": task.task_id, "settings": self.settings, "coder": outcomes}


def summarize_repair(records: list[dict], settings: dict) -> dict:
    """pass@k of the Coder's fix prompt over the repair tasks (the test is the only test: no
    selection to tell apart)."""
    summary = summarize(records, settings)
    coder = {k: v for k, v in summary["coder"].items() if k.startswith("pass@") and "picked" not in k}
    coder["tokens per sample, prompt and answer"] = summary["coder"]["completion tokens per sample"]
    return {"benchmark": "repair set pass@k", "settings": settings, "problems": len(records),
            "coder": coder}


async def _drive(args: argparse.Namespace, open_bench: Callable[[Sandbox], Any], stem: str,
                 items: list, show: Callable[[dict], Any],
                 summarize_records: Callable[[list[dict], dict], dict]) -> tuple[Path, dict]:
    """Open the sandbox, sample every item not yet in `<stem>-<model>.jsonl` (resumable), and
    write the summary beside it: the path and the summary."""
    sandbox, why = open_sandbox(bench_config("single", backend=args.backend))
    print(f"sandbox {why}")
    bench = open_bench(sandbox)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", bench.settings["coder"]).strip("-.")
    path = (args.results_dir or RESULTS_DIR) / f"{stem}-{safe}.jsonl"
    results = ResultsFile.open(path, bench.settings)
    try:
        await results.run_missing(items, bench.solve, show)
    finally:
        bench.close()
        await sandbox.close()
    summary = summarize_records(list(results.records.values()), bench.settings)
    out = path.with_suffix(".json")
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return out, summary


async def run_repair(args: argparse.Namespace) -> Path:
    tasks = load_set(args.repair)
    if args.tasks:
        wanted = set(parse_ids(args.tasks))
        tasks = [t for t in tasks if t.task_id in wanted]
    tasks = tasks[:args.limit] if args.limit is not None else tasks
    out, summary = await _drive(
        args, lambda sandbox: RepairPassK(sandbox, args.samples, args.temperature, args.repair,
                                          backend=args.backend),
        "passk-repair", tasks,
        lambda r: print(r["task_id"], sum(x["hidden"] for x in r["coder"]), "of", len(r["coder"]),
                        flush=True),
        summarize_repair)
    print(json.dumps(summary["coder"], indent=2))
    return out


async def run(args: argparse.Namespace) -> Path:
    problems = select(load_problems(), parse_ids(args.tasks) if args.tasks else None, args.limit)
    out, summary = await _drive(
        args, lambda sandbox: PassKBench(sandbox, args.samples, args.temperature,
                                         backend=args.backend),
        "passk", problems,
        lambda r: print(r["task_id"], {p: sum(x["hidden"] for x in r[p]) for p in PROMPTS}),
        summarize)
    print(json.dumps({p: summary[p] for p in PROMPTS}, indent=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--tasks", default=None, help="problem numbers, e.g. 0,5,10")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--backend", default=None)
    parser.add_argument("--results-dir", type=Path, default=None)
    parser.add_argument("--repair", type=Path, default=None, metavar="DIR",
                        help="the repair set built in DIR instead of HumanEval")
    args = parser.parse_args()
    print(f"wrote {asyncio.run(run_repair(args) if args.repair else run(args))}")


if __name__ == "__main__":
    main()
