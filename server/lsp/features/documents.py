"""Open documents: diagnostics follow the user's typing (moved with their line, dropped when
it changes); a saved or closed test file, of any language served, refreshes the test index, and
any saved, closed or watched file the answers on what is not written yet; outlines are
forgotten on close.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types

from microagent.languages.registry import language_of_file
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.workspace_view import open_document, path_of


def register(server: MicroAgentServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(server: MicroAgentServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = open_document(server.workspace, params.text_document.uri)
        if doc is not None:
            server.diagnostics.on_change(params.text_document.uri, params.content_changes,
                                         doc.source)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(server: MicroAgentServer, params: types.DidSaveTextDocumentParams) -> None:
        await _reindex(server, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(server: MicroAgentServer, params: types.DidCloseTextDocumentParams) -> None:
        server.outlines.forget(params.text_document.uri)
        await _reindex(server, params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def files_changed(server: MicroAgentServer,
                            params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            await _reindex(server, change.uri)


async def _reindex(server: MicroAgentServer, uri: str) -> None:
    server.unwritten.changed()
    path = path_of(uri)
    if path is not None and language_of_file(path.name) is not None:
        await asyncio.to_thread(server.test_index.update, path)
