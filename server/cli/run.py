"""`microagent fix`, `implement` and `review`: start a run, show its progress, the diff and
the reviewer's comments; `--apply` writes the edits only where the files are unchanged.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.markup import escape
from rich.syntax import Syntax

from microagent.server.cli.apply import apply_edits
from microagent.agents.config import load_config
from microagent.agents.errors import ConfigError
from microagent.agents.runtime import open_sandbox, run_task
from microagent.agents.types import Event, EventKind, RunResult, RunStatus, Target, Task, TaskKind
from microagent.sandbox.types import SandboxError
from microagent.server.cli.common import (backend_option, console, err_console, fail, model_options,
                                          model_overrides)

_COLOURS = {"solved": "green", "improved": "yellow", "unchanged": "yellow", "failed": "red",
            "cancelled": "red", "budget": "yellow"}


def _run_options(func):
    func = click.option("--json", "as_json", is_flag=True, help="Print the RunResult as JSON.")(func)
    func = click.option("--workspace", "-w", type=click.Path(file_okay=False, exists=True),
                        default=".", show_default=True, help="The workspace folder.")(func)
    func = backend_option(func)
    func = click.option("--max-iterations", type=int, default=None,
                        help="The most candidates the run tries (default 24).")(func)
    func = click.option("--seed", type=int, default=None,
                        help="Seed the run's model calls; the result records the seed it used, "
                             "so a run can be repeated.")(func)
    return model_options(func)


@click.command()
@click.argument("target", required=False)
@click.option("--apply", "apply_", is_flag=True, help="Write the edits to the files.")
@_run_options
def fix(target: str | None, apply_: bool, **opts) -> None:
    """Make the failing tests pass: the workspace, a FILE or a NODE_ID (file::test)."""
    _run(TaskKind.fix, target, apply_, opts)


@click.command()
@click.argument("target")
@click.option("--apply", "apply_", is_flag=True, help="Write the edits to the files.")
@_run_options
def implement(target: str, apply_: bool, **opts) -> None:
    """Write what a test uses but is missing (NODE_ID), or a function from its docstring
    examples (FILE:NAME)."""
    _run(TaskKind.implement, target, apply_, opts)


@click.command()
@click.argument("target")
@_run_options
def review(target: str, **opts) -> None:
    """Comments only, on FILE or FILE:NAME."""
    _run(TaskKind.review, target, False, opts)


def _run(kind: TaskKind, text: str | None, apply_: bool, opts: dict) -> None:
    root = Path(opts["workspace"]).resolve()
    target = _relative(text, root)
    overrides = model_overrides(opts)
    if opts.get("backend"):
        overrides["sandbox.backend"] = opts["backend"]
    if opts.get("max_iterations"):
        overrides["loop.max_iterations"] = opts["max_iterations"]
    if opts.get("seed") is not None:
        overrides["loop.seed"] = opts["seed"]
    try:
        config = load_config(root, overrides=overrides)
        sandbox, why = open_sandbox(config, root)
    except (ConfigError, SandboxError) as exc:
        fail(str(exc))
    quiet = opts["as_json"]
    if not quiet:
        err_console.print(f"[dim]sandbox {why}[/]")
        err_console.print(f"[dim]coder {config.coder.model} · reviewer {config.reviewer.model}[/]")
    task = Task(kind=kind, root=str(root), target=target)
    delivered: list[bool] = []  # a proven fix goes out before its review: whether it was refused
    try:
        with err_console.status("starting", spinner="dots") as status:
            def on_event(event: Event) -> None:
                if event.kind == EventKind.proven and event.result is not None:
                    delivered.append(_deliver(root, event.result, apply_, quiet))
                    if not quiet:
                        err_console.print("[dim]· reviewing the fix (it is final already)[/]")
                elif not quiet:
                    status.update(escape(event.message))
                    if event.kind.value in ("environment", "tests", "refused", "review",
                                            "iteration"):
                        err_console.print(f"[dim]· {escape(event.message)}[/]")

            result = asyncio.run(run_task(task, config, sandbox=sandbox, on_event=on_event))
    except KeyboardInterrupt:
        if delivered:
            fail("cancelled during the review; the fix above stands")
        fail("cancelled")
    finally:
        asyncio.run(sandbox.close())
    refused = delivered[0] if delivered else _deliver(root, result, apply_, quiet)
    if quiet:
        console.out(result.model_dump_json(indent=2))
    else:
        _show_end(result)
    if refused:
        raise SystemExit(1)
    # 0 only for a real pass: solved, or nothing to do; a run whose tests still fail is 1
    settled = result.status == RunStatus.unchanged and (result.report is None or result.report.ok)
    raise SystemExit(0 if result.status == RunStatus.solved or settled else 1)


def _deliver(root: Path, result: RunResult, apply_: bool, quiet: bool) -> bool:
    """Show the diff (unless `quiet`) and, with `apply_`, write the edits; True if any was refused."""
    if not quiet:
        for edit in result.edits:
            console.print(Syntax(edit.diff, "diff", theme="ansi_dark", background_color="default"))
    return bool(apply_ and result.edits and _apply(root, result))


def _show_end(result: RunResult) -> None:
    for c in result.comments:
        colour = {"error": "red", "warning": "yellow"}.get(c.severity, "cyan")
        console.print(f"[{colour}]{c.severity}[/] {c.file}:{c.line} {escape(c.message)}")
        if c.suggestion:
            console.print(f"    [dim]suggestion:[/] {escape(c.suggestion)}")
    usage = ", ".join(f"{role} {u.tokens} tokens" for role, u in result.usage.items())
    colour = _COLOURS[result.status.value]
    console.print(f"[{colour}]{result.status.value}[/]: {escape(result.message)}")
    to_edit = result.seconds.get("to_edit")
    shown = f" (the edit after {to_edit:.1f} s)" if to_edit is not None \
        and to_edit < result.seconds.get("total", 0) - 0.05 else ""
    console.print(f"[dim]{result.iterations} iteration(s) · {result.seconds.get('total', 0):.1f} s"
                  f"{shown} · {usage or 'no model calls'}[/]")


def _apply(root: Path, result: RunResult) -> bool:
    """Status lines go to stderr: stdout holds only the result (with --json, a JSON document).
    True if an edit was refused."""
    report = apply_edits(root, result.edits)
    for path in report.written:
        err_console.print(f"[green]wrote[/] {path}")
    for path, why in report.refused.items():
        err_console.print(f"[red]refused[/] {path}: {why}")
    return bool(report.refused)


def _relative(text: str | None, root: Path) -> Target:
    """Accept paths relative to the current folder; the loop wants them relative to the root."""
    target = Target.parse(text)
    candidate = Path(target.path)
    if target.path and candidate.exists():
        try:
            return target.model_copy(update={"path": candidate.resolve().relative_to(root).as_posix()})
        except ValueError:
            pass
    return target

