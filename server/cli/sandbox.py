"""`microagent sandbox build|test|status|clean`: the sandbox from the command line.

Printing only: building, running and cleaning live in `sandbox/`; this module never imports
docker (an import-linter contract holds that line).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.table import Table

from microagent.languages.registry import WORKSPACE_LANGUAGE
from microagent.sandbox.choose import select_backend
from microagent.sandbox.engine import clean_containers, engine_status, ensure_image
from microagent.sandbox.image_build import DEFAULT_IMAGE
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import BACKEND_NAMES, Outcome, ReportStatus, SandboxError, TestReport
from microagent.agents.errors import ConfigError
from microagent.server.cli.common import console, fail

FAILURE_TEXT_LINES = 12
OUTPUT_TAIL_LINES = 20


@click.group()
def sandbox() -> None:
    """Build, check and try the sandbox that runs generated code."""


@sandbox.command()
@click.option("--tag", default=DEFAULT_IMAGE, show_default=True, help="Image name to build.")
@click.option("--force", is_flag=True, help="Rebuild even if the image is present.")
def build(tag: str, force: bool) -> None:
    """Build the sandbox image (from the registry, or offline with debootstrap)."""
    try:
        image_id, built = ensure_image(tag, force=force, progress=_print_progress)
    except SandboxError as exc:
        fail(str(exc))
    verb = "built" if built else "already present (use --force to rebuild)"
    console.print(f"[green]✓[/] {tag} {verb}: {image_id[:19]}", highlight=False)


@sandbox.command("test")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("node_ids", nargs=-1)
@click.option("--backend", type=click.Choice(BACKEND_NAMES), default="auto", show_default=True)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds for the run.")
@click.option("--python", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The interpreter for the bubblewrap and process sandboxes; default: the "
                   "project's .venv or venv, else microagent's own.")
def test_command(path: Path, node_ids: tuple[str, ...], backend: str, timeout: float,
                 python: Path | None) -> None:
    """Run the tests of the project at PATH in the sandbox and print the report."""
    try:
        snapshot = read_workspace(path)
        chosen = str(python.absolute()) if python else None
        box, why = select_backend(backend, python_setting=chosen,
                                  runner=WORKSPACE_LANGUAGE.test_runner())
    except (SandboxError, ValueError) as exc:
        fail(str(exc))
    console.print(f"[dim]sandbox: {why}[/]", highlight=False)

    async def run() -> TestReport:
        try:
            environment = await box.prepare(snapshot, _print_progress)
            console.print(environment.summary(), style="dim", highlight=False, markup=False)
            return await box.run_tests(snapshot, list(node_ids) or None, timeout=timeout)
        finally:
            await box.close()

    try:
        report = asyncio.run(run())
    except SandboxError as exc:
        fail(str(exc))
    print_report(report)
    raise SystemExit(0 if report.ok else 1)


@sandbox.command("env")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--build", is_flag=True, help="Build it now unless it is cached (pip's output "
              "shown).")
def env_command(path: Path, build: bool) -> None:
    """The environment the tests of the workspace at PATH run with in the Docker sandbox: what
    the project declares, and whether its layer is cached, building, failed or not built."""
    from microagent.agents.config import load_config
    from microagent.sandbox.environments import environment_status

    try:
        config = load_config(path)
        snapshot = read_workspace(path)
        state = environment_status(snapshot, config.sandbox.image,
                                   requirements=config.sandbox.requirements,
                                   setup=config.sandbox.setup,
                                   devcontainer=config.sandbox.devcontainer, build=build,
                                   progress=_print_progress)
    except (ConfigError, SandboxError, ValueError) as exc:
        fail(str(exc))
    print_environment(state)
    raise SystemExit(1 if state["state"] == "failed" else 0)


def print_environment(state: dict) -> None:
    mark = {"plain": "[green]✓[/]", "cached": "[green]✓[/]", "building": "[yellow]…[/]",
            "failed": "[red]✗[/]", "not built": "[yellow]![/]"}[state["state"]]
    say = {"plain": "nothing declared: the sandbox image as it is",
           "cached": "built, cached", "building": "being built by another microagent process",
           "failed": "the last build failed", "not built": "not built yet: it is built before "
           "the first run (or now, with --build)"}[state["state"]]
    console.print(f"{mark} environment {state['image']}: {say}", highlight=False)
    rows = [("declared in", ", ".join(state["sources"]) or "nothing"),
            ("requirements", ", ".join(state["requirements"]) or "none"),
            ("the project", _project_line(state)),
            ("lock pins", str(state["pins"])),
            ("requires-python", state["requires_python"] or "any")]
    if state.get("seconds"):
        rows.append(("built in", f"{state['seconds']} s"))
    if state.get("installed"):
        rows.append(("installed", ", ".join(state["installed"])))
    for name, value in rows:
        console.print(f"  {name}: {value}", highlight=False, markup=False)
    for problem in state.get("problems", []):
        console.print(f"  [red]unreadable[/] {problem}", highlight=False)
    if state["state"] == "failed":
        console.print(state.get("error", ""), highlight=False, markup=False)


def _project_line(state: dict) -> str:
    if not state["installable"]:
        return "not installable: the tests import it from the workspace"
    if state.get("project_installed") is False:
        return ("pip could not install it (see `--build` on a changed file, or its build's "
                "error): its dependencies only; the tests import it from the workspace")
    extras = f" with [{','.join(state['extras'])}]" if state["extras"] else ""
    return f"installed editable{extras}"


def _engines() -> list[tuple[str, object]]:
    """(label, client factory) per engine: those `sandbox.engines` names in this folder's
    configuration, or the one engine DOCKER_HOST or the default socket names."""
    from microagent.agents.config import load_config
    from microagent.sandbox.engines import client_for

    try:
        specs = load_config(Path.cwd()).sandbox.engines
    except ConfigError as exc:
        fail(str(exc))
    if not specs:
        return [("", None)]
    return [(spec.url, lambda spec=spec: client_for(spec)) for spec in specs]


@sandbox.command()
def status() -> None:
    """Is each engine reachable, is the image built, which microagent containers exist."""
    reachable = 0
    for label, factory in _engines():
        state = engine_status(factory, where=label) if factory else engine_status()
        reachable += _print_status(state, label)
    raise SystemExit(0 if reachable else 1)


def _print_status(state, label: str) -> bool:
    if not state.reachable:
        console.print(f"[red]✗[/] Docker engine {label}: {state.error}", highlight=False)
        return False
    console.print(
        f"[green]✓[/] Docker engine {state.version} (API {state.api_version}) "
        f"at {state.endpoint}",
        highlight=False,
    )
    if state.image_present:
        console.print(f"[green]✓[/] image {state.image}", highlight=False)
    else:
        console.print(
            f"[yellow]![/] image {state.image} not built: run `microagent sandbox build`",
            highlight=False,
        )
    if not state.containers:
        console.print("no microagent containers")
        return True
    table = Table(title="microagent containers")
    for column in ("id", "status", "mode", "owner", "workspace"):
        table.add_column(column)
    for c in state.containers:
        table.add_row(c.id, c.status, c.mode, c.owner, c.workspace)
    console.print(table)
    return True


@sandbox.command()
@click.option("--all", "include_live", is_flag=True,
              help="Also remove the containers of microagent processes still running here.")
def clean(include_live: bool) -> None:
    """Remove leftover containers carrying microagent's label (from a crashed server), on
    every configured engine."""
    for label, factory in _engines():
        try:
            removed, kept = (clean_containers(factory, include_live=include_live) if factory
                             else clean_containers(include_live=include_live))
        except SandboxError as exc:
            fail(str(exc))
        listed = (": " + ", ".join(removed)) if removed else ""
        where = f" on {label}" if label else ""
        console.print(f"removed {len(removed)} container(s){where}{listed}")
        if kept:
            console.print(
                f"kept {len(kept)} in use by running microagent processes (--all removes them)"
            )


def _print_progress(line: str) -> None:
    console.print(line, style="dim", markup=False, highlight=False)


def print_report(report: TestReport) -> None:
    colour = "green" if report.ok else "red"
    console.print(
        f"[bold {colour}]{report.summary()}[/] ({report.status.value}, backend {report.backend}, "
        f"{report.duration:.2f}s)",
        highlight=False,
    )
    counts = Table.grid(padding=(0, 2))
    for outcome in Outcome:
        n = sum(1 for c in report.cases if c.outcome == outcome)
        if n:
            counts.add_row(outcome.value, str(n))
    if report.cases:
        console.print(counts)
    for case in report.failed:
        console.print(f"\n[red]{case.outcome.value.upper()}[/] {case.node_id}", highlight=False)
        text = (case.message or case.traceback).strip().splitlines()
        for line in text[:FAILURE_TEXT_LINES]:
            console.print(f"    {line}", highlight=False, markup=False)
    for error in report.collection_errors:
        console.print(f"\n[red]collection error[/] {error}", highlight=False)
    if report.status not in (ReportStatus.completed, ReportStatus.collection_error):
        tail = report.output.strip().splitlines()[-OUTPUT_TAIL_LINES:]
        if tail:
            console.print("\n[dim]output (last lines):[/]")
            console.print("\n".join(tail), highlight=False, markup=False)
