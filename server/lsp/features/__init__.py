"""LSP features, one per module; each has a `register(server)` that adds its handlers, and
`create_server()` builds the server with all of them.

The server answers `initialize` from `announced` alone: the methods and commands it handles are
registered there first, with placeholders, and the feature modules, which import the agents'
types, pydantic and the languages' parsers, are loaded on the first message after it
(`load_features`, through `MicroAgentServer.load`); they replace the placeholders and must
register exactly what was announced.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from pygls.exceptions import JsonRpcInternalError

from microagent.server.lsp.features.announced import COMMANDS, FEATURES
from microagent.server.lsp.server import MicroAgentServer

FEATURE_MODULES = ("lifecycle", "configuration", "documents", "code_actions", "commands")
STATE = "microagent.server.lsp.state"


def create_server(*, deferred: bool = False) -> MicroAgentServer:
    """A server with every feature announced; loaded at once unless `deferred` (the
    executable's way: the first message after `initialize` loads it)."""
    server = MicroAgentServer(load_features)
    for method, options in FEATURES.items():
        server.feature(method, options)(not_loaded)
    for name in COMMANDS:
        server.command(name)(not_loaded)
    if not deferred and not server.load():
        raise RuntimeError(f"micro-agent could not start: {server.load_error}")
    return server


def not_loaded(ls: MicroAgentServer, *args: Any) -> None:
    """Stands in for every handler until the features are loaded; reached only if they failed
    to load."""
    raise JsonRpcInternalError(f"micro-agent could not start: {ls.load_error or 'not loaded'}")


def load_features(server: MicroAgentServer) -> None:
    import_module(STATE).attach_state(server)
    fm = server.protocol.fm
    for registered in (fm.features, fm.feature_options, fm.commands):
        registered.clear()
    for name in FEATURE_MODULES:
        import_module(f"{__name__}.{name}").register(server)
    announced = {method: options for method, options in FEATURES.items() if options is not None}
    if set(fm.features) != set(FEATURES) or fm.feature_options != announced \
            or set(fm.commands) != set(COMMANDS):
        raise RuntimeError(
            "the features registered are not those announced at initialize: "
            f"{sorted(set(fm.features) ^ set(FEATURES))} "
            f"{sorted(set(fm.commands) ^ set(COMMANDS))} (see features/announced.py)")
