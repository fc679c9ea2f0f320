"""A server that keeps serving: malformed requests get JSON-RPC errors, bad settings a message,
a missing Docker engine a sentence with the fix, and a burst of requests and cancellations
during runs leaves it answering."""

from __future__ import annotations

import asyncio
import random
import uuid
from concurrent.futures import Future

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, reply, review, run_command

INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601


async def still_answers(editor) -> None:
    result = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri("test_calc.py")),
        range=types.Range(types.Position(4, 4), types.Position(4, 4)),
        context=types.CodeActionContext(diagnostics=[])))
    assert any(a.title == "Make this test pass (micro-agent)" for a in result)


def send_raw(editor, method: str, params, msg_id: str | None = None) -> asyncio.Future | None:
    """Put a message on the wire as given, past the client's own typing of params."""
    protocol = editor.client.protocol
    if msg_id is None:
        protocol._send_data(JsonRPCNotification(method=method, params=params, jsonrpc="2.0"))
        return None
    future: Future = Future()
    protocol._request_futures[msg_id] = future
    protocol._send_data(JsonRPCRequestMessage(id=msg_id, method=method, params=params, jsonrpc="2.0"))
    return asyncio.wrap_future(future)


async def raw_request(editor, method: str, params) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as caught:
        await asyncio.wait_for(send_raw(editor, method, params, f"raw-{uuid.uuid4().hex}"), 60)
    return caught.value


async def test_malformed_requests_get_json_rpc_errors(lsp):
    editor = await lsp()
    editor.open("test_calc.py")
    bad_range = {"textDocument": {"uri": editor.uri("test_calc.py")},
                 "range": {"start": {"line": "four", "character": 0}, "end": {"line": 0}},
                 "context": {"diagnostics": []}}
    error = await raw_request(editor, "textDocument/codeAction", bad_range)
    assert error.code == INVALID_PARAMS and "range.start.line" in error.message

    for arguments in ([42], [{"uri": "not a uri"}], [{"uri": editor.uri("test_calc.py"), "target": 7}],
                      ["a", "b", "c"]):
        error = await raw_request(editor, "workspace/executeCommand",
                                  {"command": "microagent.fix", "arguments": arguments})
        assert error.code == INVALID_PARAMS, arguments

    error = await raw_request(editor, "workspace/executeCommand", {"command": "microagent.nope"})
    assert error.code == INVALID_PARAMS
    error = await raw_request(editor, "microagent/unknown", {})
    assert error.code == METHOD_NOT_FOUND
    # a notification about a document the server never saw: logged, not fatal
    send_raw(editor, "textDocument/didChange", {
        "textDocument": {"uri": editor.uri("nowhere.py"), "version": 3},
        "contentChanges": [{"text": "x"}]})
    await still_answers(editor)


async def test_bad_settings_give_a_message_and_the_defaults(lsp):
    editor = await lsp(settings={"maxConcurrentRuns": "lots", "sandbox": {"backend": "kubernetes"}})
    editor.open("test_calc.py")
    messages = await wait_for(lambda: len(editor.client.messages) >= 2 and editor.client.messages,
                              what="two warnings")
    text = "\n".join(m.message for m in messages)
    assert "maxConcurrentRuns" in text and "kubernetes" in text
    assert all(m.type == types.MessageType.Warning for m in messages)
    await still_answers(editor)


async def test_no_docker_engine_says_what_to_do(lsp):
    editor = await lsp(backend="docker", env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    editor.open("test_calc.py")
    started = await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: ended(editor, started["token"]), what="the run's end")
    error = await wait_for(lambda: [m for m in editor.client.messages
                                    if m.type == types.MessageType.Error], what="an error")
    assert error[0].message.startswith("Docker engine not reachable: start it, or set "
                                       "microagent.sandbox.backend to \"process\"")
    assert any("nonexistent" in m.message for m in editor.client.log_messages)  # the details
    await still_answers(editor)


async def test_one_run_per_document_and_a_limit_in_all(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=120, repeat=True)],
                       settings={"maxConcurrentRuns": 1})
    editor.open("test_calc.py")
    editor.open("test_shelf.py")
    first = await run_command(editor, "microagent.fix", "test_calc.py")
    for rel in ("test_calc.py", "test_shelf.py"):
        result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="microagent.fix", arguments=[{"uri": editor.uri(rel)}]))
        assert result["started"] is False
    texts = [m.message for m in editor.client.messages]
    assert any("already working on test_calc.py" in t for t in texts)
    assert any("maxConcurrentRuns" in t for t in texts)
    await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="microagent.cancel", arguments=[]))
    await wait_for(lambda: ended(editor, first["token"]), what="the run's end")


async def test_fifty_interleaved_requests_and_cancellations(lsp):
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=0.5, repeat=True),
                                review() | {"repeat": True}])
    for rel in ("calc.py", "test_calc.py", "shelf.py", "test_shelf.py"):
        editor.open(rel)
    rng = random.Random(5)
    client = editor.client
    pending: list[asyncio.Future] = []
    tokens: list[str] = []

    def code_action(rel: str, line: int) -> asyncio.Future:
        return asyncio.ensure_future(client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri(rel)),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[]))))

    for i in range(50):
        rel = rng.choice(["calc.py", "test_calc.py", "shelf.py", "test_shelf.py"])
        kind = i % 10
        if kind in (0, 5):
            msg_id = f"burst-{i}"
            pending.append(asyncio.ensure_future(client.protocol.send_request_async(
                "textDocument/codeAction", types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=editor.uri(rel)),
                    range=types.Range(types.Position(1, 0), types.Position(1, 0)),
                    context=types.CodeActionContext(diagnostics=[])), msg_id=msg_id)))
            client.protocol.notify("$/cancelRequest", types.CancelParams(id=msg_id))
        elif kind == 1:
            pending.append(asyncio.ensure_future(client.workspace_execute_command_async(
                types.ExecuteCommandParams(command=rng.choice(["microagent.fix", "microagent.review"]),
                                           arguments=[{"uri": editor.uri(rel)}]))))
        elif kind == 2:
            pending.append(asyncio.ensure_future(client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="microagent.cancel", arguments=[]))))
        elif kind == 3:
            for token in tokens[-2:]:
                client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        elif kind == 4:
            editor.type(rel, 0, 0, f"# {i}\n")
        elif kind == 6:
            pending.append(asyncio.ensure_future(client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="microagent.applyLast", arguments=[]))))
        else:
            pending.append(code_action(rel, rng.randrange(0, 12)))
        tokens.extend(f.result()["token"] for f in pending if f.done() and not f.cancelled()
                      and f.exception() is None and isinstance(f.result(), dict)
                      and "token" in f.result() and f.result()["token"] not in tokens)
        await asyncio.sleep(rng.choice([0, 0, 0.01, 0.05]))

    done, not_done = await asyncio.wait(pending, timeout=120)
    assert not not_done, "some requests never got an answer"
    for future in done:  # an answer, or a JSON-RPC error such as RequestCancelled
        assert future.exception() is None or isinstance(future.exception(), JsonRpcException)
    started = [f.result()["token"] for f in done if f.exception() is None
               and isinstance(f.result(), dict) and f.result().get("started")]
    assert started, "no run started during the burst"
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="microagent.cancel", arguments=[]))
    for token in started:  # every run that began also ended, cancelled or not
        await wait_for(lambda: ended(editor, token), what=f"the end of {token}")
    await still_answers_anywhere(editor)
    assert client._server.returncode is None
    print(f"{len(started)} runs, {len(done)} answers")


async def still_answers_anywhere(editor) -> None:
    result = await editor.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri("test_shelf.py")),
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[])))
    assert result is not None
