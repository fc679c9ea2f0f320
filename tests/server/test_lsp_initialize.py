"""Start-up over real stdio: the capabilities an editor reads before it offers anything."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time

import pytest
from lsprotocol import types

from lsp_project import SERVER
from lsp_editor import wait_for


async def test_initialize_announces_sync_actions_commands_and_folders(lsp):
    editor = await lsp()
    result = editor.initialize_result
    caps = result.capabilities
    assert result.server_info.name == "microagent-lsp"
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.text_document_sync.open_close is True
    actions = caps.code_action_provider
    assert set(actions.code_action_kinds) == {"quickfix", "refactor.rewrite", "source"}
    assert actions.resolve_provider is True
    assert set(caps.execute_command_provider.commands) == {
        "microagent.fix", "microagent.implement", "microagent.review", "microagent.cancel",
        "microagent.applyLast"}
    assert caps.workspace.workspace_folders.supported is True
    assert caps.workspace.workspace_folders.change_notifications is True


async def test_the_server_asks_for_its_settings_section(lsp):
    editor = await lsp(settings={"coder": {"model": "scripted/coder"}})
    await wait_for(lambda: any("settings: coder scripted/coder" in m.message
                               for m in editor.client.log_messages), what="settings logged")


async def test_changed_settings_are_pulled_again(lsp):
    editor = await lsp(settings={"coder": {"model": "scripted/coder"}})
    await wait_for(lambda: any("settings: coder scripted/coder" in m.message
                               for m in editor.client.log_messages), what="first settings")
    editor.client.set_configuration({"coder": {"model": "scripted/other"}, "maxIterations": 2},
                                    section="microagent")
    editor.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: any("settings: coder scripted/other" in m.message and "2 iterations"
                               in m.message for m in editor.client.log_messages), what="new settings")


def test_serves_on_tcp(tmp_path):
    """`microagent-lsp --tcp --port N` answers initialize on the port, and exits on exit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([SERVER, "--tcp", "--host", "127.0.0.1", "--port", str(port),
                               "--log-file", str(tmp_path / "lsp.log"), "--log-level", "debug"])
    try:
        for _ in range(600):
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=60)
                break
            except OSError:
                time.sleep(0.1)
        with conn, conn.makefile("rb") as reader:
            send(conn, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}})
            answer = receive(reader)
            assert answer["id"] == 1
            assert "microagent.fix" in answer["result"]["capabilities"]["executeCommandProvider"]["commands"]
            send(conn, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            assert receive(reader)["id"] == 2
            send(conn, {"jsonrpc": "2.0", "method": "exit"})
        assert server.wait(timeout=120) == 0
        assert (tmp_path / "lsp.log").read_text()  # it logged where it was told to
    finally:
        if server.poll() is None:
            server.kill()


def send(conn: socket.socket, message: dict) -> None:
    body = json.dumps(message).encode()
    conn.sendall(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


def receive(reader) -> dict:
    """The next response (notifications such as log messages are skipped)."""
    while True:
        length = 0
        while (line := reader.readline().strip()):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        message = json.loads(reader.read(length))
        if "id" in message:
            return message


def _loading(editor):
    """(token, begin, end) of the progress that loads the local model, once it has ended."""
    for token, reports in editor.client.progress_reports.items():
        begin = reports[0] if reports else None
        if isinstance(begin, types.WorkDoneProgressBegin) and "loading the local model" in (
                begin.message or ""):
            ends = [r for r in reports if isinstance(r, types.WorkDoneProgressEnd)]
            return (token, begin, ends[0]) if ends else None
    return None


@pytest.mark.model
async def test_the_embedded_model_loads_in_the_background_as_progress(lsp):
    editor = await lsp(env={"MICROAGENT_CODER_MODEL": "local/smollm2-135m"})
    _, begin, end = await wait_for(lambda: _loading(editor), what="the model's progress")
    assert begin.title == "micro-agent" and "local/smollm2-135m" in begin.message
    assert "ready" in end.message
    await wait_for(lambda: any("local model local/smollm2-135m loaded" in m.message
                               for m in editor.client.log_messages), what="the log line")


async def test_no_model_is_loaded_ahead_when_no_role_uses_the_embedded_one(lsp):
    editor = await lsp()
    await wait_for(lambda: any("agents loaded" in m.message for m in editor.client.log_messages),
                   what="agents loaded")
    await asyncio.sleep(0.5)
    assert _loading(editor) is None
    assert not any("local model" in m.message for m in editor.client.log_messages)
