"""The micro-agent language server: the state its features share and three protocol rules
(a request with malformed params gets a JSON-RPC error; a broken notification is logged, never
fatal; every message after `initialize` finds the features loaded). Each feature in
`server/lsp/features/` registers its own handlers, and `features` builds the server with all of
them (`create_server`); nothing here runs a model.

This module imports only pygls and lsprotocol, so `initialize` is answered in the time they take
to import: the shared state and the handlers come from `load()`, which the protocol calls before
it dispatches the first message after `initialize`.
"""

from __future__ import annotations

import logging
import traceback
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Callable

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types
from pygls.exceptions import FeatureRequestError, JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

if TYPE_CHECKING:
    from microagent.server.lsp.diagnostic_store import DiagnosticStore
    from microagent.server.lsp.document_index import OutlineCache, TestIndex
    from microagent.server.lsp.runs import RunRegistry
    from microagent.server.lsp.settings import Settings
    from microagent.server.lsp.unwritten import UnwrittenCache

log = logging.getLogger(__name__)

try:
    VERSION = version("microagent-lsp")
except PackageNotFoundError:  # pragma: no cover - running from a checkout
    VERSION = "0.0.0"


class _Ignored:
    """Stands in for a message already answered while it was being read."""

    jsonrpc = "ignored"


class MicroAgentProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            cause = exc.__cause__ or exc
            if "id" in data and "method" in data:
                method = data.get("method")
                error = JsonRpcInvalidParams(f"invalid params for {method}: {_first_line(cause)}")
                self._send_response(data["id"], error=error.to_response_error())
            elif "id" in data:  # a malformed answer to one of our requests: fail its waiter
                future = self._request_futures.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_exception(exc)
            log.warning("malformed message: %s", _first_line(cause))
            return _Ignored()

    def handle_message(self, message):
        if isinstance(message, _Ignored):
            return
        server = self._server
        if isinstance(server, MicroAgentServer) and not server.loaded \
                and getattr(message, "method", None) not in (types.INITIALIZE, types.EXIT):
            server.load()
        super().handle_message(message)


class MicroAgentServer(LanguageServer):
    # The state the features share, made by `load()`:
    settings: Settings
    outlines: OutlineCache
    test_index: TestIndex
    unwritten: UnwrittenCache
    diagnostics: DiagnosticStore
    runs: RunRegistry

    def __init__(self, load: Callable[[MicroAgentServer], None]) -> None:
        """`load(server)` makes the shared state and registers the real handlers."""
        super().__init__("microagent-lsp", VERSION, protocol_cls=MicroAgentProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self._load = load
        self.loaded = False
        self.load_error: str | None = None
        self._told: set[str] = set()

    def load(self) -> bool:
        """Make the shared state and register the handlers, once. If that fails (a broken
        install), the user is told why, every request is answered with the reason, and the
        server does not try again."""
        if self.loaded or self.load_error is not None:
            return self.loaded
        try:
            self._load(self)
            self.loaded = True
        except Exception as exc:  # noqa: BLE001 - reported, and every request says it
            self.load_error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the features failed")
            self.tell(f"micro-agent could not start: {self.load_error}", types.MessageType.Error)
        return self.loaded

    # -- talking to the user -------------------------------------------------------------

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """A message the user sees (window/showMessage)."""
        log.info("showMessage: %s", message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def tell_once(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """A message shown the first time only (settings problems repeat on every run)."""
        if message not in self._told:
            self._told.add(message)
            self.tell(message, kind)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """Details for the output panel (window/logMessage)."""
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source) -> None:
        """Unexpected errors go to the log with their traceback; the user is not interrupted
        by a popup that holds no fix. Request errors already went back as JSON-RPC errors."""
        if source is FeatureRequestError:
            return
        details = "".join(traceback.format_exception(error)) if error.__traceback__ else str(error)
        log.error("server error (%s): %s", getattr(source, "__name__", source), details)
        try:
            self.log(f"micro-agent internal error: {error}\n{details}", types.MessageType.Error)
        except Exception:  # noqa: BLE001 - no transport: the log file has it
            pass

    # -- client capabilities -------------------------------------------------------------

    def client_supports(self, dotted: str) -> Any:
        """A client capability by its snake_case path, or None."""
        node: Any = self.client_capabilities
        for part in dotted.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return node

    @property
    def position_encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return getattr(encoding, "value", encoding) or types.PositionEncodingKind.Utf16.value

    def publish_diagnostics(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, ClassValidationError):
        return "; ".join(transform_error(exc)[:3]).replace("$.", "params.")
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
