"""End-to-end fixtures: a small project on disk, a script for the scripted models, and the real
`microagent-lsp` started over stdio with pytest-lsp's client, initialised as VS Code would be.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

from lsp_editor import Editor
from lsp_project import CALC, SERVER, SHELF, TEST_CALC, TEST_SHELF


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    for name, text in {"calc.py": CALC, "test_calc.py": TEST_CALC,
                       "shelf.py": SHELF, "test_shelf.py": TEST_SHELF}.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
async def lsp(project: Path, tmp_path: Path):
    """`await lsp(replies=[...], settings={...}, env={...})` -> an Editor on a started server."""
    started: list[LanguageClient] = []

    async def start(replies: list[dict] | None = None, settings: dict | None = None,
                    env: dict | None = None, backend: str = "process",
                    capabilities: types.ClientCapabilities | None = None,
                    workspace: str = "folders") -> Editor:
        """`workspace`: "folders" (the project as a workspace folder, and the rootUri),
        "root" (the rootUri only) or "none" (a file opened with no folder)."""
        script = tmp_path / f"script{len(started)}.json"
        script.write_text(json.dumps({"replies": replies or []}), encoding="utf-8")
        server_env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
        server_env.update({
            "MICROAGENT_SCRIPT": str(script),
            "MICROAGENT_SCRIPT_LOG": str(tmp_path / "calls.jsonl"),
            "MICROAGENT_CODER_MODEL": "scripted/coder",
            "MICROAGENT_REVIEWER_MODEL": "scripted/reviewer",
            "MICROAGENT_TESTER_MODEL": "scripted/tester",
            "MICROAGENT_SANDBOX_BACKEND": backend,
            "MICROAGENT_MUTANTS": "0",  # the scripted Coder's answers are what these tests follow
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            **(env or {}),
        })
        client = make_test_lsp_client()
        if settings is not None:
            client.set_configuration(settings, section="microagent")
        editor = Editor(client, project).attach()
        await client.start_io(SERVER, "--log-level", "INFO", env=server_env)
        started.append(client)
        caps = capabilities or client_capabilities("visual-studio-code")
        folders = [types.WorkspaceFolder(uri=project.as_uri(), name="proj")]
        editor.initialize_result = await client.initialize_session(types.InitializeParams(
            capabilities=caps, root_uri=project.as_uri() if workspace != "none" else None,
            workspace_folders=folders if workspace == "folders" else None))
        return editor

    yield start
    for client in started:
        server = client._server
        if server is not None and server.returncode is None:
            try:
                await asyncio.wait_for(client.shutdown_session(), 60)
            except Exception:  # noqa: BLE001 - a test that killed its server already said so
                pass
        await client.stop()
