"""What every `microagent` subcommand shares: consoles, failing cleanly, model options."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, NoReturn

import click
from rich.console import Console

from microagent.agents.config import ROLES
from microagent.sandbox.types import BACKEND_NAMES

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a message for the user, no traceback (unless --debug), and exit."""
    ctx = click.get_current_context(silent=True)
    if ctx and ctx.find_root().obj and ctx.find_root().obj.get("debug") and sys.exc_info()[0]:
        raise
    err_console.print(f"[red]error:[/] {message}", highlight=False)
    sys.exit(code)


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --model and --<role>-model overrides to a command."""
    decorators = [click.option("--model", "model", default=None,
                               help="litellm model string for every role.")]
    decorators += [
        click.option(f"--{role}-model", f"{role}_model", default=None,
                     help=f"litellm model string for the {role}.")
        for role in ROLES
    ]
    return functools.reduce(lambda f, d: d(f), decorators, func)


backend_option = click.option("--backend", type=click.Choice(BACKEND_NAMES), default=None,
                              help="Sandbox backend (default: the configuration's).")


def model_overrides(opts: dict[str, Any]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if opts.get("model"):
        overrides["model"] = opts["model"]
    for role in ROLES:
        if opts.get(f"{role}_model"):
            overrides[f"{role}.model"] = opts[f"{role}_model"]
    return overrides
