"""What a finished run leaves behind: its edits offered through `workspace/applyEdit` (the server
never writes the user's files), reviewer comments and still-failing tests as diagnostics, and one
message saying how it went. An edit to a file that changed since the run started is not sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

from microagent.agents.edit_rules import changed_since_run, edits_a_test
from microagent.agents.types import FileEdit, RunResult, RunStatus, TaskKind
from microagent.server.lsp.diagnostics import case_path, failing_test_diagnostic, review_diagnostic
from microagent.server.lsp.edits import Target, plain_workspace_edit, workspace_edit
from microagent.server.lsp.host import Host
from microagent.server.lsp.messages import for_editor, outcome, refused
from microagent.server.lsp.run import Run
from microagent.server.lsp.workspace_view import current_text, open_document, uri_for

SETTLE_SECONDS = 2.0  # how long to wait for the client's didChange after it applied an edit


@dataclass
class ApplyOutcome:
    applied: bool
    files: list[str] = field(default_factory=list)
    reason: str = ""


async def apply_edits(server: Host, root: Path, edits: list[FileEdit],
                      versions: dict[str, int | None], label: str) -> ApplyOutcome:
    """Send the edits with the versions the run started from (`versions`; open documents only).
    Refused here, without asking the client, when a file no longer holds the run's text."""
    files = [e.path for e in edits]
    targets: dict[str, Target] = {}
    stale: list[str] = []
    for edit in edits:
        text, version = current_text(server.workspace, root, edit.path)
        if edits_a_test(edit, text is not None):
            return ApplyOutcome(False, files, f"{edit.path} is a test file, and micro-agent never edits tests")
        started = versions.get(edit.path)
        if changed_since_run(edit, text) or (
                started is not None and version is not None and version != started):
            stale.append(edit.path)
        targets[edit.path] = Target(uri_for(server.workspace, root, edit.path),
                                    started if started is not None else version, text is not None)
    if stale:
        return ApplyOutcome(False, files, f"{', '.join(stale)} changed while micro-agent was running")
    if not server.client_supports("workspace.apply_edit"):
        return ApplyOutcome(False, files, "this editor does not accept edits from a language server")
    creates = any(not t.exists for t in targets.values())
    encoding = server.position_encoding
    if server.client_supports("workspace.workspace_edit.document_changes"):
        operations = server.client_supports("workspace.workspace_edit.resource_operations") or []
        if creates and types.ResourceOperationKind.Create not in operations:
            return ApplyOutcome(False, files, "the edit creates a file and this editor cannot")
        confirm = server.settings.editor.confirm_edits and bool(
            server.client_supports("workspace.workspace_edit.change_annotation_support"))
        edit = workspace_edit(edits, targets, encoding=encoding, confirm=confirm, label=label)
    elif creates:
        return ApplyOutcome(False, files, "the edit creates a file and this editor cannot")
    else:
        edit = plain_workspace_edit(edits, targets, encoding=encoding)
    try:
        response = await server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=label))
    except Exception as exc:  # noqa: BLE001 - an error answer is a refusal with a reason
        return ApplyOutcome(False, files, f"the editor could not apply it ({exc})")
    if response is not None and response.applied:
        return ApplyOutcome(True, files)
    reason = getattr(response, "failure_reason", None) or "the editor refused it"
    return ApplyOutcome(False, files, reason)


async def deliver(server: Host, run: Run, result: RunResult) -> bool:
    """Apply, publish and tell; True when the edits were applied."""
    spec = run.spec
    applied = False
    if result.status == RunStatus.failed:
        short, details = for_editor(result.message)
        server.tell(f"{spec.title} failed: {short}", types.MessageType.Error)
        server.log(details, types.MessageType.Error)
    if result.edits:
        done = await apply_edits(server, spec.root, result.edits, run.state.versions, spec.title)
        applied = done.applied
        if applied:
            server.tell(f"{outcome(spec.title, result)}. Edited {', '.join(done.files)}.")
        else:
            server.tell(refused(done.files, done.reason), types.MessageType.Warning)
    elif spec.kind == TaskKind.review and result.status != RunStatus.cancelled:
        server.tell(f"{spec.title}: {len(result.comments)} comment(s)")
    elif result.status not in (RunStatus.failed, RunStatus.cancelled):
        server.tell(outcome(spec.title, result))
    await _publish(server, run, result, applied)
    return applied


async def deliver_review(server: Host, run: Run, result: RunResult,
                         applied: bool) -> None:
    """The review of a fix delivered before it (`applied`: the editor took the edits): its
    comments as diagnostics, placed on the text the user has now."""
    server.log(f"{run.spec.title}: reviewed, {len(result.comments)} comment(s)")
    await _publish(server, run, result, applied, settle=False)


async def _publish(server: Host, run: Run, result: RunResult, applied: bool,
                   settle: bool = True) -> None:
    root, encoding = run.spec.root, server.position_encoding
    new_text = {e.path: e.content for e in result.edits} if applied and settle else {}
    for path, content in new_text.items():
        await _settled(server, root, path, content)

    def text_of(path: str) -> str:
        if path in new_text:
            return new_text[path]
        return current_text(server.workspace, root, path)[0] or ""

    per_uri: dict[str, list[types.Diagnostic]] = {}

    def add(path: str, diagnostic: types.Diagnostic) -> None:
        per_uri.setdefault(uri_for(server.workspace, root, path), []).append(diagnostic)

    if applied or not result.edits:  # comments on code the user does not have would mislead
        for comment in result.comments:
            add(comment.file, review_diagnostic(comment, text_of(comment.file), encoding))
    report = result.report if applied or not result.edits else result.initial_report
    if report is not None and run.spec.kind != TaskKind.review:
        for case in report.failed:
            path = case_path(case)
            add(path, failing_test_diagnostic(case, text_of(path), encoding))
    server.diagnostics.replace(run.spec.uri, per_uri)


async def _settled(server: Host, root: Path, path: str, content: str) -> None:
    """Wait until the client's didChange for an applied edit has arrived, so diagnostics are
    placed on the text the user now has."""
    uri = uri_for(server.workspace, root, path)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_SECONDS
    while loop.time() < deadline:
        doc = open_document(server.workspace, uri)
        if doc is None or doc.source == content:
            return
        await asyncio.sleep(0.02)
