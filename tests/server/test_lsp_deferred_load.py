"""`initialize` is answered from what is announced (features/announced.py) before the feature
modules load; they load on the next message and must register exactly what was announced; if
they cannot load, every request says why instead of the server dying."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError

from microagent.server.lsp import features
from microagent.server.lsp.features import create_server, not_loaded
from microagent.server.lsp.features.announced import COMMANDS, FEATURES

PROBE = """
import sys
from microagent.server.lsp.features import create_server
server = create_server(deferred=True)
heavy = [m for m in ("pydantic", "microagent.agents.types", "microagent.languages.registry",
                     "microagent.server.lsp.runs", "litellm") if m in sys.modules]
print("HEAVY", heavy)
"""


def test_the_announced_server_imports_no_feature_module():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_loading_replaces_every_placeholder_with_the_feature_handlers():
    server = create_server()
    fm = server.protocol.fm
    assert set(fm.features) == set(FEATURES) and set(fm.commands) == set(COMMANDS)
    handlers = list(fm.features.values()) + list(fm.commands.values())
    assert not any(getattr(h, "func", h) is not_loaded for h in handlers)
    assert fm.feature_options[types.TEXT_DOCUMENT_CODE_ACTION].resolve_provider is True


def test_a_feature_registered_but_not_announced_stops_the_load(monkeypatch):
    announced = {m: o for m, o in FEATURES.items() if m != types.CODE_ACTION_RESOLVE}
    monkeypatch.setattr(features, "FEATURES", announced)
    server = create_server(deferred=True)
    assert server.load() is False
    assert "not those announced" in (server.load_error or "")
    assert types.CODE_ACTION_RESOLVE in server.load_error


def test_a_failed_load_is_told_and_every_request_gives_its_reason(monkeypatch):
    monkeypatch.setattr(features, "STATE", "microagent.server.lsp.no_such_module")
    server = create_server(deferred=True)
    told = []
    monkeypatch.setattr(server, "tell", lambda message, kind=None: told.append(message))
    assert server.load() is False and server.load() is False  # tried once, not on every message
    assert told == [f"micro-agent could not start: {server.load_error}"]
    assert "no_such_module" in server.load_error
    with pytest.raises(JsonRpcInternalError, match="could not start: ModuleNotFoundError"):
        not_loaded(server, types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri="file:///x.py"),
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[])))
    with pytest.raises(RuntimeError, match="could not start"):
        create_server()
