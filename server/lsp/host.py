"""What a run needs from the language server that hosts it: telling and asking the user, the
output log, progress bars, the client's capabilities, the settings, the run diagnostics, the
workspace and its edits. `MicroAgentServer` is the host; the run modules (`runs`, `run_results`,
`progress`) see it only through this protocol, so the server module can import them.
"""

from __future__ import annotations

from typing import Any, Protocol

from lsprotocol import types
from pygls.progress import Progress
from pygls.workspace import Workspace

from microagent.server.lsp.diagnostic_store import DiagnosticStore
from microagent.server.lsp.settings import Settings


class Host(Protocol):
    settings: Settings
    diagnostics: DiagnosticStore

    @property
    def workspace(self) -> Workspace: ...

    @property
    def work_done_progress(self) -> Progress: ...

    @property
    def position_encoding(self) -> str: ...

    def tell(self, message: str, kind: types.MessageType = ...) -> None:
        """A message the user sees (window/showMessage)."""

    def tell_once(self, message: str, kind: types.MessageType = ...) -> None:
        """A message shown the first time only."""

    def log(self, message: str, kind: types.MessageType = ...) -> None:
        """Details for the output panel (window/logMessage)."""

    def client_supports(self, dotted: str) -> Any:
        """A client capability by its snake_case path, or None."""

    async def window_show_message_request_async(
            self, params: types.ShowMessageRequestParams) -> types.MessageActionItem | None: ...

    async def workspace_apply_edit_async(
            self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult: ...
