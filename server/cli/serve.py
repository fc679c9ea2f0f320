"""`microagent serve`: the OpenAI-compatible HTTP API under uvicorn, on loopback by default.

It reads options and starts the server; the app itself lives in `microagent.server.api`. It refuses to
listen beyond loopback without an API key.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import click

from microagent.agents.config import load_config
from microagent.agents.errors import ConfigError
from microagent.agents.runtime import open_sandbox
from microagent.sandbox.types import SandboxError
from microagent.server.api.settings import MIB, ServeSettings, bind_problem
from microagent.server.cli.common import backend_option, err_console, fail, model_options, model_overrides

SHUTDOWN_SECONDS = 30  # for runs in flight to stop and close their sandboxes


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8808, show_default=True, type=int)
@click.option("--api-key", envvar="MICROAGENT_API_KEY", default=None,
              help="Require `Authorization: Bearer KEY` (or set MICROAGENT_API_KEY).")
@click.option("--concurrency", default=1, show_default=True, type=int, help="Runs at once.")
@click.option("--queue", "queue_size", default=4, show_default=True, type=int,
              help="Runs waiting beyond those; more get 429.")
@click.option("--max-body", default=MIB, show_default=True, type=int, help="Largest request body, bytes.")
@click.option("--max-seconds", default=None, type=float,
              help="Wall-clock budget per run (default: the configuration's loop.max_seconds).")
@click.option("--workspace", "-w", type=click.Path(file_okay=False, exists=True), default=".",
              show_default=True, help="Folder whose pyproject.toml [tool.microagent] configures the server.")
@backend_option
@model_options
def serve(host: str, port: int, api_key: str | None, concurrency: int, queue_size: int,
          max_body: int, max_seconds: float | None, workspace: str, backend: str | None,
          **opts) -> None:
    """Serve the OpenAI-compatible API: models `microagent` and `microagent-single`."""
    import uvicorn

    from microagent.server.api.app import begin_shutdown, create_app

    overrides = model_overrides(opts)
    if backend:
        overrides["sandbox.backend"] = backend
    try:
        config = load_config(Path(workspace).resolve(), overrides=overrides)
        settings = ServeSettings(host=host, port=port, api_key=api_key or None,
                                 max_body_bytes=max_body, concurrency=concurrency,
                                 queue=queue_size, max_seconds=max_seconds or config.loop.max_seconds)
    except (ConfigError, ValueError) as exc:
        fail(str(exc))
    problem = bind_problem(settings)
    if problem:
        fail(problem)
    try:
        sandbox, why = open_sandbox(config)  # fail now, not on the first request
        asyncio.run(sandbox.close())
    except SandboxError as exc:
        fail(str(exc))
    logging.getLogger("microagent.server.api").setLevel(logging.INFO)
    err_console.print(f"[dim]sandbox {why}[/]")
    err_console.print(f"[dim]coder {config.coder.label} · reviewer {config.reviewer.label} · "
                      f"{concurrency} run(s) at once, {queue_size} queued[/]")
    err_console.print(f"serving http://{host}:{port}/v1" + (" (API key required)" if api_key else ""))
    app = create_app(config, settings, sandbox_note=why)

    class Server(uvicorn.Server):
        """Tells the app first when a signal asks it to stop, so runs in flight answer 503
        `shutting_down` while uvicorn still waits for their connections."""

        def handle_exit(self, sig, frame) -> None:
            begin_shutdown(app)
            super().handle_exit(sig, frame)

    Server(uvicorn.Config(app, host=host, port=port, log_level="info", server_header=False,
                          timeout_graceful_shutdown=SHUTDOWN_SECONDS)).run()
