"""`microagent models`, `doctor` and `ask`: look at and talk to the configured models.

Printing only: the checks live in `microagent.server.cli.health`, the calls in `microagent.agents.models.client`.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click
from rich.table import Table

from microagent.agents.config import ROLES, load_config, machine_settings
from microagent.agents.errors import ConfigError, ModelError
from microagent.server.cli.common import console, err_console, fail, model_overrides, model_options


@click.command()
@model_options
def models(**opts) -> None:
    """Show each role's model and the state of the embedded local models."""
    from microagent.agents.models.model_files import local_model_status

    config = _config(opts)
    table = Table(title="Role models")
    for col in ("role", "model", "temperature", "max tokens", "timeout s", "retries"):
        table.add_column(col)
    for role in ROLES:
        spec = config.role(role)
        model = spec.model if not spec.routed else (
            f"{len(spec.deployments)} deployments, {spec.routing}"
            + (f", fallback {spec.fallback}" if spec.fallback else ""))
        table.add_row(role, model, f"{spec.temperature:g}", str(spec.max_tokens),
                      f"{spec.timeout:g}", str(spec.retries))
    console.print(table)
    _deployments(config)

    local = Table(title="Local models (local/<name>)")
    for col in ("name", "packages", "assembled", "verified", "size", "path"):
        local.add_column(col)
    for st in local_model_status(machine_settings().model_dir):
        local.add_row(st.name, _mark(st.packages_installed), _mark(st.assembled),
                      _mark(st.verified), _size(st.size), str(st.path or "-"))
    console.print(local)


def _deployments(config) -> None:
    """Each role's deployments and whether each answers one token now."""
    from microagent.server.cli.health import deployment_checks

    checks = deployment_checks(config)
    if not checks:
        return
    table = Table(title="Deployments (litellm Router)")
    for col in ("role", "deployment", "answers"):
        table.add_column(col)
    for check in checks:
        role, _, label = check.name.partition(" → ")
        table.add_row(role, label, ("[green]yes[/] " if check.ok else "[red]no[/] ") + check.detail)
    console.print(table)


@click.command()
@model_options
def doctor(**opts) -> None:
    """Check every part microagent needs; exit non-zero when a required part is missing."""
    from microagent.server.cli.health import run_checks

    config = _config(opts)
    missing = False
    for check in run_checks(config, Path.cwd()):
        mark = "[green]✓[/]" if check.ok else ("[red]✗[/]" if check.required else "[yellow]![/]")
        line = f"{mark} {check.name}: {check.detail}"
        if not check.ok and check.fix:
            line += f"\n    [dim]fix:[/] {check.fix}"
        console.print(line, highlight=False)
        missing |= check.required and not check.ok
    sys.exit(1 if missing else 0)


@click.command()
@click.option("--role", type=click.Choice(ROLES), default="coder", show_default=True)
@click.argument("prompt", nargs=-1, required=True)
@model_options
def ask(role: str, prompt: tuple[str, ...], **opts) -> None:
    """One completion through ROLE's model, streamed to the terminal."""
    from microagent.agents.models.client import ModelClient

    config = _config(opts)
    client = ModelClient(config)
    messages = [{"role": "user", "content": " ".join(prompt)}]

    async def run() -> None:
        async for piece in client.stream(role, messages):
            console.out(piece, end="", highlight=False)
        console.out("")

    err_console.print(f"[dim]{role} → {config.role(role).model}[/]")
    try:
        asyncio.run(run())
    except ModelError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("cancelled")
    for rec in client.records:
        cost = "unknown cost" if rec.cost_usd is None else f"${rec.cost_usd:.4f}"
        err_console.print(
            f"[dim]{rec.prompt_tokens} prompt + {rec.completion_tokens} completion tokens · "
            f"{rec.latency_s:.1f} s · {cost}[/]")


def _config(opts: dict):
    try:
        return load_config(Path.cwd(), overrides=model_overrides(opts))
    except ConfigError as exc:
        fail(str(exc))


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]no[/]"


def _size(size: int | None) -> str:
    return "-" if not size else f"{size / 1e6:,.0f} MB"
