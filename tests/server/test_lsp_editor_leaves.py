"""The editor disappears in the middle of a run (its pipe to the server just closes: no
`shutdown`, no `exit`): the server stops the run, closes its sandbox and exits without
asyncio's "Task exception was never retrieved" / "Event loop is closed" on its stderr."""

from __future__ import annotations

import asyncio

import pytest

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, model_calls, reply, run_command

NOISE = ("Task exception was never retrieved", "Event loop is closed", "Traceback")


# The Docker sandbox takes a second or two to remove its container, so it is still closing
# after the server's loop has gone: the case that used to print the noise.
@pytest.mark.parametrize("backend", ["process", pytest.param("docker", marks=pytest.mark.docker)])
async def test_an_editor_that_vanishes_mid_run_leaves_a_quiet_exit(lsp, tmp_path, capfd, backend):
    editor = await lsp(replies=[reply("coder", FIXED_ADD, delay=300)], backend=backend)
    server = editor.client._server
    editor.open("test_calc.py")
    await run_command(editor, "microagent.fix", "test_calc.py")
    await wait_for(lambda: model_calls(tmp_path) == 1, timeout=300, what="the coder at work")

    server.stdin.close()
    await asyncio.wait_for(server.wait(), 120)
    forwarder = editor.client._stderr_forwarder  # pytest-lsp copies the server's stderr to ours
    if forwarder is not None:
        await asyncio.wait_for(asyncio.shield(forwarder), 30)
    stderr = capfd.readouterr().err
    assert "LiteLLM completion() model= coder" in stderr  # what we read is the server's stderr
    for noise in NOISE:
        assert noise not in stderr, stderr
    assert server.returncode == 1  # the exit code says the editor left without `shutdown`
