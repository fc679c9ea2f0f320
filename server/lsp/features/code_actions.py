"""`textDocument/codeAction`: what micro-agent can do where the cursor is, in a document of any
language served (languages.registry), from static analysis only (no model, no sandbox), cached
per document version. Only whether a test file's imports are written yet reads the disk, in a
worker thread (server/lsp/unwritten.py). Every action carries the command that starts the run;
`codeAction/resolve` restores it for clients that strip it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from lsprotocol import types

from microagent.agents.types import Target
from microagent.languages.language import Function, Outline
from microagent.languages.registry import language_of_file
from microagent.server.lsp.document_index import is_test_file
from microagent.server.lsp.diagnostics import CODE_FAILING_TEST, CODE_REVIEW, SOURCE
from microagent.server.lsp.features.announced import APPLY_LAST, FEATURES, FIX, IMPLEMENT, REVIEW
from microagent.server.lsp.server import MicroAgentServer
from microagent.server.lsp.unwritten import unwritten_module
from microagent.server.lsp.workspace_view import locate, open_document, open_state

FIX_TEST = "Make this test pass (micro-agent)"
FIX_FILE = "Make the failing tests in this file pass"
GENERATE_FROM_TEST = "Generate implementation from test (micro-agent)"
IMPLEMENT_FROM_TESTS = "Implement from tests (micro-agent)"
IMPLEMENT_FROM_EXAMPLES = "Implement from docstring examples (micro-agent)"
REVIEW_FUNCTION = "Review with micro-agent"
REVIEW_AGAIN = "Review again with micro-agent"
APPLY_LAST_RESULT = "Apply the last micro-agent result"
CACHE_SIZE = 512


def register(server: MicroAgentServer) -> None:
    cache: OrderedDict[tuple, list[types.CodeAction]] = OrderedDict()

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, FEATURES[types.TEXT_DOCUMENT_CODE_ACTION])
    async def code_actions(server: MicroAgentServer,
                           params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = open_document(server.workspace, uri)
        if doc is None:
            return []
        root, rel = locate(server.workspace, uri)
        if root is None or rel is None or language_of_file(rel) is None:
            return []
        doc_outline = server.outlines.get(uri, doc.version, rel, doc.source)
        used = tests_use(server) if not doc_outline.is_test_file else frozenset()
        unwritten = None
        if doc_outline.is_test_file and doc_outline.function_at(params.range.start.line):
            unwritten = await unwritten_for(server, root, rel)
        last = server.runs.last_for(uri)
        pending = bool(last and last.result.edits and not last.applied)
        ours = tuple(d for d in params.context.diagnostics if d.source == SOURCE)
        key = (uri, doc.version, params.range.start.line, tuple(params.context.only or ()),
               tuple((d.code, d.range.start.line, str(d.data)) for d in ours), hash(used), pending,
               unwritten)
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        actions = _actions(uri, rel, doc_outline, params.range.start.line, ours, used, pending,
                           unwritten)
        only = params.context.only
        if only:
            actions = [a for a in actions if any(a.kind == o or str(a.kind).startswith(f"{o}.")
                                                 for o in only)]
        cache[key] = actions
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve(server: MicroAgentServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        if action.command is None and data.get("command"):
            action.command = types.Command(title=action.title, command=data["command"],
                                           arguments=data.get("arguments") or [])
        return action


def tests_use(server: MicroAgentServer) -> frozenset[str]:
    """Names the workspace's tests use: open test documents as typed, the others as saved."""
    open_tests: dict[str, Outline] = {}
    for doc in list(server.workspace.text_documents.values()):
        root, rel = locate(server.workspace, doc.uri)
        if root is not None and rel is not None and is_test_file(rel):
            open_tests[str(root / rel)] = server.outlines.get(doc.uri, doc.version, rel, doc.source)
    return server.test_index.names_used(open_tests)


async def unwritten_for(server: MicroAgentServer, root, rel: str) -> str | None:
    """The module the test file `rel` imports that is not written yet (unwritten.py), judged
    on the open documents' text over the disk, in a worker thread; one answer per state."""
    language = language_of_file(rel)
    if language is None:
        return None
    state = open_state(server.workspace, root)
    key = (str(root), rel, server.unwritten.generation, tuple(sorted(state.versions.items())))
    known, answer = server.unwritten.get(key)
    if not known:
        answer = await asyncio.to_thread(unwritten_module, language, root, rel, state.overlays)
        server.unwritten.put(key, answer)
    return answer


def _actions(uri: str, rel: str, outline: Outline, line: int,
             ours: tuple[types.Diagnostic, ...], used: frozenset[str],
             pending: bool, unwritten: str | None = None) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    func = outline.function_at(line)
    fixing: set[str] = set()
    for d in ours:
        data = d.data if isinstance(d.data, dict) else {}
        if d.code == CODE_FAILING_TEST and data.get("nodeId"):
            fixing.add(data["nodeId"])
            actions.append(_action(FIX_TEST, types.CodeActionKind.QuickFix, FIX, uri,
                                   data["nodeId"], diagnostics=[d], preferred=True))
        elif d.code == CODE_REVIEW:
            around = outline.function_at(d.range.start.line)
            target = str(Target(path=rel, symbol=around.top_level if around else ""))
            actions.append(_action(REVIEW_AGAIN, types.CodeActionKind.QuickFix, REVIEW, uri,
                                   target, diagnostics=[d]))
    if pending:
        actions.append(_action(APPLY_LAST_RESULT, types.CodeActionKind.QuickFix, APPLY_LAST,
                               uri, None))
    if outline.is_test_file:
        test = str(Target(path=rel, test=func.node_path)) if func is not None else ""
        if func is not None and func.is_test and test not in fixing:
            actions.append(_action(FIX_TEST, types.CodeActionKind.QuickFix, FIX, uri,
                                   test))
        if func is not None and func.is_test and unwritten:  # what it imports is not there yet
            actions.append(_action(GENERATE_FROM_TEST, types.CodeActionKind.QuickFix, IMPLEMENT,
                                   uri, test))
        actions.append(_action(FIX_FILE, types.CodeActionKind.Source, FIX, uri, rel))
    if func is not None:
        implement = _implement_title(outline, func, used)
        if implement:
            actions.append(_action(implement, types.CodeActionKind.RefactorRewrite, IMPLEMENT,
                                   uri, str(Target(path=rel, symbol=func.top_level))))
        actions.append(_action(REVIEW_FUNCTION, types.CodeActionKind.RefactorRewrite, REVIEW,
                               uri, str(Target(path=rel, symbol=func.top_level))))
    return actions


def _implement_title(outline: Outline, func: Function, used: frozenset[str]) -> str | None:
    if outline.is_test_file or not func.is_stub:
        return None
    if func.name in used or func.top_level in used:
        return IMPLEMENT_FROM_TESTS
    return IMPLEMENT_FROM_EXAMPLES if func.has_examples else None


def _action(title: str, kind: types.CodeActionKind, command: str, uri: str, target: str | None,
            diagnostics: list[types.Diagnostic] | None = None,
            preferred: bool = False) -> types.CodeAction:
    arguments = [{"uri": uri, "target": target}]
    return types.CodeAction(
        title=title, kind=kind, diagnostics=diagnostics, is_preferred=preferred or None,
        command=types.Command(title=title, command=command, arguments=arguments),
        data={"command": command, "arguments": arguments})

