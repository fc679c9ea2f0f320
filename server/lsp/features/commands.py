"""`workspace/executeCommand`: `microagent.fix`, `.implement`, `.review` start a run in the
background and return at once; `.cancel` stops runs (as does the progress bar's cancel button);
`.applyLast` applies the last result if the files still hold its text, else runs it again.

Arguments: one object `{"uri": "file:///…", "target": "path::test" | "path:function" | "path"}`,
or the same as positional strings; malformed arguments get a JSON-RPC InvalidParams error.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from microagent.agents.types import Target, TaskKind
from microagent.server.lsp.features.announced import APPLY_LAST, CANCEL, FIX, IMPLEMENT, REVIEW
from microagent.server.lsp.run import RunSpec
from microagent.server.lsp.run_results import apply_edits
from microagent.server.lsp.runs import RunRefused
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.staleness import changed_files
from microagent.server.lsp.workspace_view import folders, path_of, relative, root_for

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")  # a scheme: file:, untitled:, vscode-notebook-cell:


def register(server: MicroAgentServer) -> None:
    @server.command(FIX)
    async def fix(server: MicroAgentServer, *args: Any) -> dict:
        return start(server, TaskKind.fix, args)

    @server.command(IMPLEMENT)
    async def implement(server: MicroAgentServer, *args: Any) -> dict:
        return start(server, TaskKind.implement, args)

    @server.command(REVIEW)
    async def review(server: MicroAgentServer, *args: Any) -> dict:
        return start(server, TaskKind.review, args)

    @server.command(CANCEL)
    def cancel(server: MicroAgentServer, *args: Any) -> dict:
        uri, _ = _arguments(args, need_uri=False)
        stopped = server.runs.stop(uri)
        return {"cancelled": len(stopped), "titles": [r.spec.title for r in stopped]}

    @server.command(APPLY_LAST)
    async def apply_last(server: MicroAgentServer, *args: Any) -> dict:
        return await reapply(server, _arguments(args, need_uri=False)[0])

    @server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    def progress_cancelled(server: MicroAgentServer,
                           params: types.WorkDoneProgressCancelParams) -> None:
        run = server.runs.by_token(params.token)
        if run is not None:
            run.stop()


def start(server: MicroAgentServer, kind: TaskKind, args: tuple) -> dict:
    uri, target = _arguments(args, need_uri=True)
    assert uri is not None
    root = root_for(server.workspace, uri)
    rel = relative(root, uri) if root else None
    if root is None or rel is None:
        reason = outside_workspace(server, uri)
        server.tell(reason, types.MessageType.Warning)
        return {"started": False, "reason": reason}
    spec = RunSpec(kind, uri, root, Target.parse(target) if target else Target(path=rel))
    try:
        run = server.runs.start(spec)
    except RunRefused as exc:
        server.tell(str(exc), types.MessageType.Warning)
        return {"started": False, "reason": str(exc)}
    return {"started": True, "token": run.token, "title": spec.title}


async def reapply(server: MicroAgentServer, uri: str | None) -> dict:
    runs = server.runs
    last = runs.last_for(uri)
    if last is None or not last.result.edits:
        message = "micro-agent has no result to apply" + (" for this file" if uri else "") + " yet"
        server.tell(message)
        return {"applied": False, "started": False, "reason": message}
    if last.applied:
        server.tell(f"{last.spec.title}: already applied")
        return {"applied": True, "started": False}
    changed = await changed_files(server.workspace, last.spec.root, last.result)
    if changed:  # its tests judged other text: only a new run can say
        reason = f"{', '.join(changed)} changed since the run"
    else:
        versions = {}  # the edit is only sent if the files still hold the run's text
        done = await apply_edits(server, last.spec.root, last.result.edits, versions,
                                 last.spec.title)
        if done.applied:
            last.applied = True
            server.tell(f"{last.spec.title}: applied. Edited {', '.join(done.files)}.")
            return {"applied": True, "started": False}
        reason = done.reason
    server.log(f"{last.spec.title}: {reason}; running it again on the current text")
    try:
        run = runs.start(last.spec)
    except RunRefused as exc:
        server.tell(str(exc), types.MessageType.Warning)
        return {"applied": False, "started": False, "reason": str(exc)}
    return {"applied": False, "started": True, "token": run.token, "title": last.spec.title}


def outside_workspace(server: MicroAgentServer, uri: str) -> str:
    """Why a run cannot start from this document, and what to do about it."""
    path = path_of(uri)
    if path is None:
        return (f"micro-agent cannot run on {uri}: it is not a file on disk. Save it in a folder "
                "opened as a workspace folder, then run the command again.")
    roots = folders(server.workspace)
    if not roots:
        return (f"micro-agent cannot run on {path.name}: the editor opened no folder, so it "
                "cannot tell which project the file belongs to. Open the project's folder as a "
                "workspace folder, then run the command again.")
    return (f"micro-agent cannot run on {path}: it is outside every workspace folder "
            f"({', '.join(map(str, roots))}), and a run copies and tests the folder a file "
            "belongs to. Open the folder that holds it as a workspace folder, then run the "
            "command again.")


def _arguments(args: tuple, *, need_uri: bool) -> tuple[str | None, str | None]:
    """(uri, target) from `[{"uri": …, "target": …}]` or `["uri", "target"]`."""
    if len(args) == 1 and isinstance(args[0], dict):
        uri, target = args[0].get("uri"), args[0].get("target")
    elif len(args) <= 2 and all(isinstance(a, str) for a in args):
        uri, target = (list(args) + [None, None])[:2]
    else:
        raise JsonRpcInvalidParams(
            'expected one argument {"uri": "file:///…", "target": "…"} or ["uri", "target"]')
    if uri is None and not need_uri:
        return None, None
    if not isinstance(uri, str) or not URI.match(uri):
        raise JsonRpcInvalidParams(f"expected a file:// uri, got {uri!r}")
    if target is not None and (not isinstance(target, str) or not target.strip()):
        raise JsonRpcInvalidParams(f"target must be a non-empty string, got {target!r}")
    return uri, target
