"""A module nobody installed reaches the user as an error that says what to install, from the
command line and from the editor, and no model is asked to "fix" it. The real `microagent`
and `microagent-lsp`, the process sandbox, scripted models that log every call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from lsp_editor import wait_for
from lsp_project import FIXED_ADD, ended, model_calls, reply, run_command

MICROAGENT = Path(sys.executable).with_name("microagent")
MISSING = "some_module_that_does_not_exist_xyz"
APP = f"import {MISSING}\n\n\ndef add(a, b):\n    return a - b\n"
TEST_APP = "from app import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
SAID = f"The tests cannot import {MISSING}, which app.py imports"


def test_fix_json_fails_with_the_message_and_no_model_call(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "app.py").write_text(APP)
    (project / "test_app.py").write_text(TEST_APP)
    script, log = tmp_path / "script.json", tmp_path / "calls.jsonl"
    script.write_text(json.dumps({"replies": [{"model": "coder", "reply": FIXED_ADD,
                                               "repeat": True}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env |= {"MICROAGENT_SCRIPT": str(script), "MICROAGENT_SCRIPT_LOG": str(log),
            "MICROAGENT_CODER_MODEL": "scripted/coder", "MICROAGENT_REVIEW": "false",
            "LITELLM_LOCAL_MODEL_COST_MAP": "True"}

    done = subprocess.run([str(MICROAGENT), "fix", "--json", "--backend", "process",
                           "-w", str(project)], env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)

    assert done.returncode == 1, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "failed"
    assert SAID in result["message"] and "-m pip install" in result["message"]
    assert result["iterations"] == 0 and result["usage"] == {}
    assert not log.exists()  # the scripted model was never called


async def test_the_editor_shows_the_message_as_an_error(lsp, project, tmp_path):
    (project / "app.py").write_text(APP)
    (project / "test_app.py").write_text(TEST_APP)
    editor = await lsp(replies=[reply("coder", FIXED_ADD, repeat=True)])
    editor.open("test_app.py")

    started = await run_command(editor, "microagent.fix", "test_app.py")
    end = await wait_for(lambda: ended(editor, started["token"]), what="progress end")
    assert "failed" in end.message
    shown = await wait_for(lambda: [m for m in editor.client.messages if SAID in m.message],
                           what="the error message")
    assert shown[0].type == types.MessageType.Error
    assert "not installed in the process sandbox" in shown[0].message
    assert model_calls(tmp_path, "coder") == 0 and not editor.edits
