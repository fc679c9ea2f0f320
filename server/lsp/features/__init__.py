"""LSP features, one per module; each has a `register(server)` that adds its handlers, and
`create_server()` builds the server with all of them."""

from __future__ import annotations

from microagent.server.lsp.features import code_actions, commands, configuration, documents, lifecycle
from microagent.server.lsp.server import MicroAgentServer


def create_server() -> MicroAgentServer:
    """A server with every feature registered."""
    server = MicroAgentServer()
    for feature in (lifecycle, configuration, documents, code_actions, commands):
        feature.register(server)
    return server
