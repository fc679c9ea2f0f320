"""Settings: pulled with `workspace/configuration` for the `microagent` section after start-up
and whenever `workspace/didChangeConfiguration` arrives (or taken from that notification when
the client cannot be asked). Bad settings give a message and their defaults, never a dead server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types

from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.settings import SECTION, config_for, parse_settings
from microagent.server.lsp.workspace_view import folders

log = logging.getLogger(__name__)


def register(server: MicroAgentServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(server: MicroAgentServer,
                                    params: types.DidChangeConfigurationParams) -> None:
        if server.client_supports("workspace.configuration"):
            await refresh(server)
            return
        raw = params.settings
        if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
            raw = raw[SECTION]
        await use_settings(server, raw)


async def refresh(server: MicroAgentServer) -> None:
    """Ask the client for the `microagent` section (scoped to the first workspace folder)."""
    if not server.client_supports("workspace.configuration"):
        return
    roots = folders(server.workspace)
    item = types.ConfigurationItem(section=SECTION, scope_uri=roots[0].as_uri() if roots else None)
    try:
        values = await server.workspace_configuration_async(types.ConfigurationParams(items=[item]))
    except Exception as exc:  # noqa: BLE001 - keep the settings we have
        server.log(f"could not read the {SECTION} settings: {exc}", types.MessageType.Warning)
        return
    await use_settings(server, values[0] if values else None)


async def use_settings(server: MicroAgentServer, raw: Any) -> None:
    settings = parse_settings(raw)
    server.settings = settings
    for problem in settings.problems:
        server.tell_once(problem, types.MessageType.Warning)
    roots = folders(server.workspace)
    config, problems = await asyncio.to_thread(config_for, roots[0] if roots else None, settings)
    for problem in problems:
        server.tell_once(problem, types.MessageType.Warning)
    server.log(f"settings: coder {config.coder.model}, reviewer {config.reviewer.model}, "
               f"sandbox {config.sandbox.backend}, {config.loop.max_iterations} iterations, "
               f"confirmEdits {settings.editor.confirm_edits}, "
               f"maxConcurrentRuns {settings.editor.max_concurrent_runs}")
