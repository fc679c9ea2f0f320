"""The embedded model, loaded once in the background after start-up and shown as progress, so
the first quick fix starts generating at once instead of first loading a gigabyte. Nothing
waits for it: a run that needs the model meanwhile waits for the same load (the provider loads
each model once), and a failure here is only logged; the run that needs the model says why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from microagent.server.lsp.progress import progress
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.settings import config_for

log = logging.getLogger(__name__)
_kept: set[asyncio.Future] = set()  # the loads under way, so they are not collected


def start_preload(server: MicroAgentServer, root: Path | None) -> None:
    """Load the roles' embedded models in the background; returns at once."""
    task = asyncio.ensure_future(preload(server, root))
    _kept.add(task)
    task.add_done_callback(_kept.discard)


async def preload(server: MicroAgentServer, root: Path | None) -> None:
    try:
        runtime = await server.runs.runtime()
        config, _ = await asyncio.to_thread(config_for, root, server.settings)
        models = runtime.embedded_models(config)
        if not models or server.runs.closing:
            return
        names = ", ".join(models)
        async with progress(server, f"microagent-model-{uuid.uuid4().hex[:8]}", "micro-agent",
                            f"loading the local model {names}") as bar:
            started = time.monotonic()
            await _in_daemon_thread(runtime.load_embedded_models, config)
            seconds = time.monotonic() - started
            bar.final = f"local model {names} ready ({seconds:.1f} s)"
        server.log(f"micro-agent: local model {names} loaded in {seconds:.1f} s")
    except Exception as exc:  # noqa: BLE001 - only a head start was lost
        log.warning("loading the local model ahead failed: %s", exc)
        server.log(f"micro-agent: the local model was not loaded ahead ({exc}); "
                   "the first run will load it and say what went wrong")


def _in_daemon_thread(work: Callable[..., Any], *args: Any) -> asyncio.Future:
    """`work(*args)` on a daemon thread (loading cannot be interrupted, and an `exit` must not
    wait for it), its outcome as a future of the running loop."""
    done: concurrent.futures.Future = concurrent.futures.Future()

    def run() -> None:
        try:
            done.set_result(work(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting loop
            done.set_exception(exc)

    threading.Thread(target=run, name="microagent-model-load", daemon=True).start()
    return asyncio.wrap_future(done)
