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
    from microagent.server.cli import bench, models, run, sandbox, serve

    for command in (models.models, models.doctor, models.ask, run.fix, run.implement, run.review,
                    sandbox.sandbox, bench.bench, serve.serve):
        main.add_command(command)


_register()
