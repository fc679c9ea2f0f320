"""The `microagent` command line: a thin front door onto the agents and sandbox APIs.

It parses arguments and prints; it holds no logic the language server lacks. A command's module
(and with it litellm, llama.cpp, the loop) is imported only when that command runs, so
`microagent --help` and `--version` answer at once.
"""

from __future__ import annotations

import importlib
import logging

import click

# name -> (module in microagent.server.cli, attribute, the line `microagent --help` shows).
# tests/server/test_cli_start.py checks each line against the command's own help.
COMMANDS = {
    "ask": ("models", "ask", "One completion through ROLE's model, streamed to the terminal."),
    "bench": ("bench", "bench", "Benchmarks that measure the loop (results in bench/results/)."),
    "doctor": ("models", "doctor", "Check every part microagent needs; exit non-zero when a..."),
    "fix": ("run", "fix", "Make the failing tests pass: the workspace, a FILE or a..."),
    "implement": ("run", "implement", "Write what a test uses but is missing (NODE_ID), or a..."),
    "models": ("models", "models", "Show each role's model and the state of the embedded local..."),
    "review": ("run", "review", "Comments only, on FILE or FILE:NAME."),
    "sandbox": ("sandbox", "sandbox", "Build, check and try the sandbox that runs generated code."),
    "serve": ("serve", "serve", "Serve the OpenAI-compatible API: models `microagent` and..."),
}


class Commands(click.Group):
    """Subcommands imported on first use; the help lists them from COMMANDS."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(f"microagent.server.cli.{module}"), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in self.list_commands(ctx)])


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="microagent-lsp", prog_name="microagent")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """microagent: a team of small models that repairs code against your tests."""
    ctx.obj = {"debug": debug}
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
