"""The `microagent` command line: a thin front door onto the agents and sandbox APIs.

It parses arguments and prints; it holds no logic the language server lacks.
"""

from __future__ import annotations

import logging

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """microagent: a team of small models that repairs code against your tests."""
    ctx.obj = {"debug": debug}
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from server import cli_bench, cli_models, cli_run, cli_sandbox

    for command in (cli_models.models, cli_models.doctor, cli_models.ask,
                    cli_run.fix, cli_run.implement, cli_run.review, cli_sandbox.sandbox, cli_bench.bench):
        main.add_command(command)
    from server import cli_serve; main.add_command(cli_serve.serve)  # noqa: E702


_register()
