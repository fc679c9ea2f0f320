"""`microagent bench humaneval` and `microagent bench repair`: thin front doors onto
`microagent.bench` (the `bench/` folder: its tasks and results live in the source checkout).
They parse options and print progress only.
"""

from __future__ import annotations

import asyncio
import importlib
import shlex
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

import click

from microagent.agents.errors import ConfigError
from microagent.agents.runtime import open_sandbox
from microagent.sandbox.types import SandboxError
from microagent.server.cli.common import (backend_option, console, err_console, fail, model_options,
                                          model_overrides)

def _bench(name: str) -> ModuleType:
    """Import microagent.bench.<name>, saying what to install when it (or what it needs) is missing."""
    try:
        return importlib.import_module(f"microagent.bench.{name}")
    except ImportError as error:
        fail(f"the benchmarks need the source checkout installed with `pip install -e .[dev]` "
             f"({error})")


def run_options(command: Callable) -> Callable:
    """The options every bench run takes: sandbox backend, iteration cap, review, results dir."""
    for option in reversed([
        backend_option,
        click.option("--max-iterations", type=int, default=None,
                     help="Loop mode: the most candidates a run tries (default: the "
                          "configuration's, 24)."),
        click.option("--review/--no-review", default=False, show_default=True,
                     help="Loop mode: let the Reviewer read solved answers."),
        click.option("--results-dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="Where the JSONL and summaries go (default bench/results)."),
    ]):
        command = option(command)
    return command


@click.group()
def bench() -> None:
    """Benchmarks that measure the loop (results in bench/results/)."""


@bench.command()
@click.option("--mode", type=click.Choice(["plain", "single", "loop"]), default="loop",
              show_default=True, help="single: one greedy Coder pass; loop: the micro-agent "
              "loop; plain: one greedy answer to a plain instruction (the reference).")
@click.option("--limit", type=int, default=None, help="Run only the first N selected problems.")
@click.option("--problems", default=None, help="Ids such as 0,5,HumanEval/7.")
@click.option("--shard", default=None, help="I/N: every N-th problem from the I-th (0-based).")
@run_options
@model_options
def humaneval(mode: str, limit: int | None, problems: str | None, shard: str | None,
              backend: str | None, max_iterations: int | None, review: bool,
              results_dir: Path | None, **opts) -> None:
    """pass@1 on the 164 HumanEval problems, scored by their hidden tests in the sandbox.
    Resumes a stopped run: problems already in the JSONL file are skipped."""
    he, tasks, chart = _bench("humaneval"), _bench("humaneval_tasks"), _bench("chart")
    try:
        chosen = tasks.select(tasks.load_problems(),
                              tasks.parse_ids(problems) if problems else None, limit,
                              tasks.parse_shard(shard) if shard else None)
        config = he.bench_config(mode, model_overrides(opts), max_iterations=max_iterations,
                                 review=review, backend=backend)
        out = results_dir or he.RESULTS_DIR
        results = he.ResultsFile.open(out / f"{he.file_stem(config.coder.model, mode)}.jsonl",
                                      he.settings_of(config, mode))
        sandbox, why = open_sandbox(config)
    except (ValueError, ConfigError, SandboxError) as exc:
        fail(str(exc))
    todo = _to_run(chosen, results, f"sandbox {why} · coder {config.coder.model} · {mode}")
    runner = he.HumanEvalBench(config, mode, sandbox)

    def show(record: dict) -> None:
        mark = "[green]pass[/]" if record["passed"] else "[red]fail[/]"
        extra = " (no visible tests: one pass)" if record.get("fallback") else ""
        console.print(f"{record['task_id']:>14} {mark} {record['status']:<9} "
                      f"{record['iterations']} it · {record['tokens']} tok · "
                      f"{record['seconds']:.1f} s{extra}", highlight=False)

    def conclude() -> None:
        if results.records:
            path, summary = he.write_summary(results, _command_line())
            _wrote(path, chart.draw_results(path.parent),
                   f"pass@1 {summary['passed']}/{summary['problems']} = "
                   f"{100 * summary['pass_at_1']:.1f} % · {summary['tokens_per_problem']} "
                   f"tokens/problem · {summary['seconds_per_problem']} s/problem")

    _drive(runner, sandbox, todo, results, show, conclude, "problems", he.BenchError)


@bench.command()
@click.argument("set_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--make", is_flag=True, help="Build the set into DIR instead of running it.")
@click.option("--seed", type=int, default=0, show_default=True, help="--make: the mutation seed.")
@click.option("--count", type=int, default=None,
              help="--make: at most N tasks (default: every problem that qualifies).")
@click.option("--mode", type=click.Choice(["single", "loop"]), default="loop", show_default=True,
              help="single: one Coder call on the failing output, applied once; loop: the loop.")
@click.option("--limit", type=int, default=None, help="Run only the first N tasks.")
@click.option("--tasks", "task_ids", default=None, help="Ids such as 0,5,HumanEval/7.")
@run_options
@model_options
def repair(set_dir: Path, make: bool, seed: int, count: int | None, mode: str,
           limit: int | None, task_ids: str | None, backend: str | None,
           max_iterations: int | None, review: bool, results_dir: Path | None, **opts) -> None:
    """The repair set: --make builds it (HumanEval canonical solutions, one seeded bug each);
    otherwise each task in DIR runs as `microagent fix . --apply` in a temporary copy and is
    solved when its pytest passes with the test file unchanged. Resumes a stopped run."""
    if make:
        _make_repair_set(set_dir, seed, count)
        return
    he, rp, tasks_mod, chart = _bench("humaneval"), _bench("repair"), _bench("repair_tasks"), \
        _bench("chart")
    try:
        tasks = tasks_mod.load_set(set_dir)
        if not tasks:
            raise ValueError(f"no tasks in {set_dir}: build them with "
                             f"`microagent bench repair --make {set_dir}`")
        set_size = len(tasks)
        if task_ids:
            wanted = set(_bench("humaneval_tasks").parse_ids(task_ids))
            tasks = [t for t in tasks if t.task_id in wanted]
        tasks = tasks[:limit] if limit is not None else tasks
        config = he.bench_config(mode, model_overrides(opts), max_iterations=max_iterations,
                                 review=review, backend=backend)
        out = results_dir or rp.RESULTS_DIR
        results = he.ResultsFile.open(out / f"{rp.file_stem(config.coder.model, mode)}.jsonl",
                                      rp.repair_settings(config, mode, set_dir))
        sandbox, why = open_sandbox(config)
    except (ValueError, ConfigError, SandboxError) as exc:
        fail(str(exc))
    todo = _to_run(tasks, results, f"sandbox {why} · coder {config.coder.model} · {mode}")
    runner = rp.RepairBench(config, mode, sandbox, set_dir)

    def show(record: dict) -> None:
        mark = "[green]solved[/]" if record["solved"] else "[red]failed[/]"
        console.print(f"{record['task_id']:>14} {mark} {record['kind']:<10} {record['status']:<9} "
                      f"{record['iterations']} it · {record['tokens']} tok · "
                      f"{record['seconds']:.1f} s", highlight=False)

    def conclude() -> None:
        if results.records:
            path, summary = rp.write_summary(results, set_size, _command_line())
            _wrote(path, chart.draw_repair(path.parent),
                   f"solved {summary['solved']}/{summary['tasks']} = "
                   f"{100 * summary['solve_rate']:.1f} % · {summary['tokens_per_task']} "
                   f"tokens/task · {summary['seconds_per_task']} s/task")

    _drive(runner, sandbox, todo, results, show, conclude, "tasks", he.BenchError)


def _to_run(chosen: list, results, setting: str) -> list:
    """What is not in the results file yet, said with the run's setting."""
    todo = [item for item in chosen if item.task_id not in results.records]
    err_console.print(f"[dim]{setting} · {len(chosen) - len(todo)} done, {len(todo)} to run → "
                      f"{results.path}[/]")
    return todo


def _command_line() -> str:
    return shlex.join(["microagent", *sys.argv[1:]])


def _wrote(path: Path, png: Path | None, outcome: str) -> None:
    console.print(outcome)
    console.print(f"[dim]wrote {path}" + (f" and {png}" if png else "") + "[/]")


def _drive(runner, sandbox, todo: list, results, show: Callable[[dict], None],
           conclude: Callable[[], None], unit: str, bench_error: type[Exception]) -> None:
    """Run the bench to its end, a Ctrl+C or an error; what finished is summarised either way."""
    async def go() -> None:
        try:
            await runner.run(todo, results, on_result=show)
        finally:
            await sandbox.close()
            runner.close()

    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        err_console.print("[yellow]stopped[/]: run the same command again to resume")
    except (SandboxError, bench_error) as exc:
        fail(f"{exc} (finished {unit} are kept; run the same command again to resume)")
    finally:
        conclude()


def _make_repair_set(set_dir: Path, seed: int, count: int | None) -> None:
    tasks_mod = _bench("repair_tasks")

    def show(task) -> None:
        m = task.mutation
        console.print(f"{task.task_id:>14} {m.kind:<10} line {m.line}: {m.original!r} → "
                      f"{m.mutated!r}", highlight=False)

    try:
        described = tasks_mod.make_set(set_dir, seed=seed, count=count, on_task=show)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    kinds = ", ".join(f"{k} {n}" for k, n in described["kinds"].items())
    console.print(f"{described['tasks']} tasks ({kinds}); {len(described['skipped'])} problems "
                  f"skipped → {set_dir / tasks_mod.SET_FILE}")
