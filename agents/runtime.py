"""Assembles a run from configuration: the model client, the sandbox the settings ask for (for
the workspace's language, where the caller names the workspace), and the loop. The CLI, the
language server and the HTTP API all start runs through here.
"""

from __future__ import annotations

from pathlib import Path

from microagent.agents.config import ROLES, Config, machine_settings
from microagent.agents.loop import Loop, OnEvent
from microagent.agents.models.client import ModelClient
from microagent.agents.node_runtime import node_language, open_node_sandbox
from microagent.agents.types import RunResult, Task
from microagent.sandbox.choose import select_backend
from microagent.languages.registry import WORKSPACE_LANGUAGE
from microagent.sandbox.snapshot import FileCache
from microagent.sandbox.types import Sandbox

RUNNER = WORKSPACE_LANGUAGE.test_runner()


def embedded_models(config: Config) -> list[str]:
    """The embedded (`local/`) models the roles use, each once."""
    return sorted({config.role(name).model for name in ROLES if config.role(name).embedded})


def load_embedded_models(config: Config) -> list[str]:
    """Load each embedded model the roles use, once per process, so that the first run starts
    generating at once. Blocking (a few seconds; assembling the model's file on first use
    takes longer). Returns the models loaded."""
    from microagent.agents.models.local_model import register_local_provider

    models = embedded_models(config)
    if models:
        provider = register_local_provider(machine=machine_settings())
        for model in models:
            provider.runner(model.removeprefix("local/"))  # the name litellm hands the provider
    return models


def open_sandbox(config: Config, root: str | Path | None = None) -> tuple[Sandbox, str]:
    """The backend the settings ask for, and a sentence saying what was chosen and why. With
    the workspace's `root`, a TypeScript/JavaScript workspace gets the Node sandbox
    (agents/node_runtime.py); without it, Python's sandbox."""
    node = node_language(root) if root is not None else None
    if node is not None:
        backend = "docker" if config.sandbox.spread else config.sandbox.backend
        return open_node_sandbox(backend, *node)
    image = config.sandbox.image
    if config.sandbox.spread:
        from microagent.sandbox.engines import engines_for
        from microagent.sandbox.spread_backend import SpreadSandbox

        engines = engines_for(config.sandbox.engines, image)
        return SpreadSandbox(engines, runner=RUNNER, requirements=config.sandbox.requirements,
                             setup=config.sandbox.setup,
                             devcontainer=config.sandbox.devcontainer), (
            f"docker: {len(engines.engines)} engine(s) ({', '.join(e.url for e in engines.engines)})")

    def docker_factory() -> Sandbox:
        from microagent.sandbox.docker_backend import DockerSandbox

        return DockerSandbox(image=image, runner=RUNNER,
                             requirements=config.sandbox.requirements, setup=config.sandbox.setup,
                             devcontainer=config.sandbox.devcontainer)

    return select_backend(config.sandbox.backend, docker_factory, runner=RUNNER,
                          python_setting=config.sandbox.python)


async def run_task(task: Task, config: Config, *, sandbox: Sandbox | None = None,
                   client: ModelClient | None = None, on_event: OnEvent | None = None,
                   loop_holder: list[Loop] | None = None,
                   files: FileCache | None = None) -> RunResult:
    """Run one task; a sandbox opened here is closed here. `loop_holder` receives the Loop so a
    caller can `stop()` it; `files`, a front door's cache of the workspace's files."""
    own = sandbox is None
    if sandbox is None:
        sandbox, _ = open_sandbox(config, task.root)
    try:
        loop = Loop(client or ModelClient(config), sandbox, config, on_event=on_event,
                    files=files)
        if loop_holder is not None:
            loop_holder.append(loop)
        task = task.model_copy(update={"root": str(Path(task.root).resolve())})
        return await loop.run(task)
    finally:
        if own:
            await sandbox.close()
