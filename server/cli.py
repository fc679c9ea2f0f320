"""The `microagent` command line: a thin front door onto the agents and sandbox APIs.

It parses arguments and prints; it holds no logic the language server lacks.
"""

from __future__ import annotations

import click
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short messages.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """microagent: a team of small models that repairs code against your tests."""
    ctx.obj = {"debug": debug}


def _register() -> None:
    from server import cli_models, cli_sandbox

    main.add_command(cli_models.models)
    main.add_command(cli_models.doctor)
    main.add_command(cli_models.ask)
    main.add_command(cli_sandbox.sandbox)


_register()
