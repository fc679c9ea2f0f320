"""Shutting the server down in the middle of a run, with the real Docker backend: the run
stops, and no container of the server's is left on the engine."""

from __future__ import annotations

import asyncio
import socket

import pytest

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, model_calls, reply, run_command

pytestmark = pytest.mark.docker


@pytest.fixture
def engine():
    """The engine (the `docker` marker saw that it answers and the image is built)."""
    from microagent.sandbox.engine import connect

    client = connect()
    yield client
    client.close()


def containers_of(engine, pid: int) -> list:
    from microagent.sandbox.container import OWNER_LABEL

    owner = f"{socket.gethostname()}:{pid}"
    return engine.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={owner}"})


async def editor_in_a_run(lsp, engine, tmp_path):
    """An editor whose server's run waits for the Coder, with a container of its own."""
    editor = await lsp(backend="docker", replies=[reply("coder", FIXED_ADD, delay=300)])
    server = editor.client._server
    editor.open("test_calc.py")
    await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: model_calls(tmp_path) == 1, timeout=300, what="the coder at work")
    assert containers_of(engine, server.pid), "the run should have a container by now"
    return editor


async def test_shutdown_during_a_run_leaves_no_container(lsp, engine, tmp_path):
    editor = await editor_in_a_run(lsp, engine, tmp_path)
    pid = editor.client._server.pid

    await asyncio.wait_for(editor.client.shutdown_session(), 120)
    assert editor.client._server.returncode == 0
    assert containers_of(engine, pid) == []


async def test_an_editor_that_vanishes_mid_run_leaves_no_container(lsp, engine, tmp_path):
    """No shutdown, no exit: the editor's pipe just closes."""
    server = (await editor_in_a_run(lsp, engine, tmp_path)).client._server

    server.stdin.close()
    await asyncio.wait_for(server.wait(), 120)
    assert containers_of(engine, server.pid) == []


async def test_a_server_terminated_mid_run_leaves_no_container(lsp, engine, tmp_path):
    """SIGTERM, the editor's pipe still open: what Neovim sends to a server that has not exited
    half a second after it was asked to (a run's sandbox takes longer than that to close)."""
    server = (await editor_in_a_run(lsp, engine, tmp_path)).client._server

    server.terminate()
    await asyncio.wait_for(server.wait(), 120)
    assert server.returncode == 128 + 15
    assert containers_of(engine, server.pid) == []
