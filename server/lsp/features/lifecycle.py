"""Start-up and shut-down. At `initialized` the agents package starts loading in a worker thread
(so `initialize` answers at once), the test files are indexed once, the settings pulled and the
embedded model, if a role uses it, loaded in the background as progress. At
`shutdown` every run stops and its sandbox is closed, containers included.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from microagent.languages.registry import LANGUAGES
from microagent.server.lsp.features.configuration import refresh
from microagent.server.lsp.model_preload import start_preload
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.workspace_view import folders, path_of

log = logging.getLogger(__name__)


def register(server: MicroAgentServer) -> None:
    @server.feature(types.INITIALIZED)
    async def initialized(server: MicroAgentServer, params: types.InitializedParams) -> None:
        server.runs.warm_up()
        roots = folders(server.workspace)
        index_folders(server, roots)
        await refresh(server)
        start_preload(server, roots[0] if roots else None)
        await watch_test_files(server)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(server: MicroAgentServer,
                        params: types.DidChangeWorkspaceFoldersParams) -> None:
        added = [path_of(f.uri) for f in params.event.added or []]
        index_folders(server, [p for p in added if p is not None])

    @server.feature(types.SHUTDOWN)
    async def shutdown(server: MicroAgentServer, params: None) -> None:
        await server.runs.shutdown()


async def watch_test_files(server: MicroAgentServer) -> None:
    """Ask the client to report test files changed outside the editor (a checkout, a script),
    so "Implement from tests" knows about them without the server walking the disk again."""
    if not server.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        return
    watchers = [types.FileSystemWatcher(glob_pattern=g) 
                for lang in LANGUAGES.values() for g in lang.test_file_globs]
    try:
        await server.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="microagent-test-files",
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                   watchers=watchers))]))
    except Exception as exc:  # noqa: BLE001 - without it, saves in the editor still count
        server.log(f"could not watch test files: {exc}")


def index_folders(server: MicroAgentServer, roots: list) -> None:
    """Read the folders' test files once, in a worker thread."""
    if not roots:
        return

    async def scan() -> None:
        try:
            count = await asyncio.to_thread(server.test_index.scan, roots)
            server.log(f"indexed {count} test file(s) in {', '.join(map(str, roots))}")
        except Exception:  # noqa: BLE001 - without the index, implement actions just wait
            log.exception("indexing the test files failed")

    server.runs.track(asyncio.ensure_future(scan()))
