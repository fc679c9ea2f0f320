"""The state the features share, made when the server loads its features (after `initialize`,
see server.py): the settings, the documents' outlines, the test index, the answers on what is
not written yet, the run diagnostics and the runs.
"""

from __future__ import annotations

from microagent.server.lsp.diagnostic_store import DiagnosticStore
from microagent.server.lsp.document_index import OutlineCache, TestIndex
from microagent.server.lsp.runs import RunRegistry
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.settings import Settings
from microagent.server.lsp.unwritten import UnwrittenCache


def attach_state(server: MicroAgentServer) -> None:
    server.settings = Settings()
    server.outlines = OutlineCache()
    server.test_index = TestIndex()
    server.unwritten = UnwrittenCache()
    server.diagnostics = DiagnosticStore(server.publish_diagnostics)
    server.runs = RunRegistry(server)
