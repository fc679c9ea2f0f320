"""Start-up over real stdio: the capabilities an editor reads before it offers anything."""

from __future__ import annotations

from lsprotocol import types

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
