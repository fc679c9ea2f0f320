"""The editor side of the end-to-end tests: open documents with versions, typing as incremental
changes, and `workspace/applyEdit` applied the way VS Code does it (versions checked first, all
or nothing, the change sent back as didChange). It drives the real server over stdio.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Union

from lsprotocol import types
from pytest_lsp import LanguageClient


# The languageId VS Code gives a document, by its suffix (Python otherwise).
LANGUAGE_IDS = {".ts": "typescript", ".tsx": "typescriptreact", ".js": "javascript",
                ".jsx": "javascriptreact", ".mjs": "javascript", ".cjs": "javascript"}


@dataclass
class Document:
    uri: str
    text: str
    version: int


def offset(text: str, position: types.Position) -> int:
    """A UTF-16 position to a str index; lines end at \\n, \\r\\n or \\r as LSP says."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character or ch in "\r\n":
            return start + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def apply_text_edits(text: str, edits) -> str:
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@dataclass
class Editor:
    client: LanguageClient
    root: Path
    docs: dict[str, Document] = field(default_factory=dict)
    edits: list[types.ApplyWorkspaceEditParams] = field(default_factory=list)
    results: list[types.ApplyWorkspaceEditResult] = field(default_factory=list)
    before_apply: Callable[[types.ApplyWorkspaceEditParams], None] | None = None
    initialize_result: types.InitializeResult | None = None
    registrations: list[types.Registration] = field(default_factory=list)

    def attach(self) -> "Editor":
        """Answer the server's workspace/applyEdit requests, and read code actions right."""
        _read_code_actions_right(self.client)

        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            return self.apply(params)

        def register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

        self.client.feature(types.WORKSPACE_APPLY_EDIT)(apply_edit)
        self.client.feature(types.CLIENT_REGISTER_CAPABILITY)(register)
        return self

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str) -> str:
        uri = self.uri(rel)
        text = (self.root / rel).read_text(encoding="utf-8")
        self.docs[uri] = Document(uri, text, 1)
        language = LANGUAGE_IDS.get(Path(rel).suffix, "python")
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def text(self, rel: str) -> str:
        doc = self.docs.get(self.uri(rel))
        return doc.text if doc else (self.root / rel).read_text(encoding="utf-8")

    def version(self, rel: str) -> int:
        return self.docs[self.uri(rel)].version

    def type(self, rel: str, line: int, character: int, text: str, end: tuple[int, int] | None = None) -> None:
        """Insert (or replace up to `end`) at a position, as a keystroke would."""
        doc = self.docs[self.uri(rel)]
        rng = types.Range(types.Position(line, character), types.Position(*(end or (line, character))))
        self._change(doc, [types.TextEdit(range=rng, new_text=text)])

    def save_all(self) -> None:
        for doc in self.docs.values():
            Path(doc.uri.removeprefix("file://")).write_text(doc.text, encoding="utf-8")
            self.client.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri)))

    def lines_with_diagnostics(self, rel: str) -> list[tuple[int, str]]:
        return sorted((d.range.start.line, d.message)
                      for d in self.client.diagnostics.get(self.uri(rel), []))

    # -- workspace/applyEdit ------------------------------------------------------------------

    def apply(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        self.edits.append(params)
        if self.before_apply is not None:
            self.before_apply(params)
        result = self._apply(params.edit)
        self.results.append(result)
        return result

    def _apply(self, edit: types.WorkspaceEdit) -> types.ApplyWorkspaceEditResult:
        changes = list(edit.document_changes or [])
        for change in changes:  # all or nothing: check every version first
            if isinstance(change, types.TextDocumentEdit):
                doc = self.docs.get(change.text_document.uri)
                wanted = change.text_document.version
                if doc is not None and wanted is not None and wanted != doc.version:
                    return types.ApplyWorkspaceEditResult(
                        applied=False, failure_reason=f"{Path(doc.uri).name} has changed "
                        f"(version {doc.version}, edit for version {wanted})")
        for change in changes:
            if isinstance(change, types.CreateFile):
                path = Path(change.uri.removeprefix("file://"))
                if not path.exists():
                    path.write_text("", encoding="utf-8")
            elif isinstance(change, types.TextDocumentEdit):
                doc = self.docs.get(change.text_document.uri)
                if doc is not None:
                    self._change(doc, list(change.edits))
                else:
                    path = Path(change.text_document.uri.removeprefix("file://"))
                    path.write_text(apply_text_edits(path.read_text(encoding="utf-8"), change.edits),
                                    encoding="utf-8")
        for uri, text_edits in (edit.changes or {}).items():
            self._change(self.docs[uri], list(text_edits))
        return types.ApplyWorkspaceEditResult(applied=True)

    def _change(self, doc: Document, text_edits: list) -> None:
        ordered = sorted(text_edits, key=lambda e: (e.range.start.line, e.range.start.character),
                         reverse=True)
        for e in ordered:
            doc.text = apply_text_edits(doc.text, [e])
        doc.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=[types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                             for e in ordered]))


def _read_code_actions_right(client: LanguageClient) -> None:
    """lsprotocol's client-side hook reads any `Command | CodeAction` with a `command` key as a
    Command, so a CodeAction that carries a command loses its kind; tell them apart by type."""
    converter = client.protocol._converter

    def structure(obj: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)


async def wait_for(condition: Callable[[], object], timeout: float = 120.0, what: str = "") -> object:
    """Poll until `condition()` is truthy; generous timeouts, never a timing assertion."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.05)
