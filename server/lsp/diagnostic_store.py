"""The diagnostics the server has published, kept per run origin (the document a run was started
from) so a new run clears only its predecessor's, and kept true while the user types.
"""

from __future__ import annotations

from typing import Callable, Iterable

from lsprotocol import types

from microagent.server.lsp.diagnostics import after_change

Publish = Callable[[str, list[types.Diagnostic]], None]


class DiagnosticStore:
    def __init__(self, publish: Publish) -> None:
        self._publish = publish
        self._by_origin: dict[str, dict[str, list[types.Diagnostic]]] = {}

    def replace(self, origin: str, per_uri: dict[str, list[types.Diagnostic]]) -> None:
        """The diagnostics of `origin`'s latest run, instead of those of its previous one."""
        old = self._by_origin.pop(origin, {})
        self._by_origin[origin] = {uri: list(d) for uri, d in per_uri.items() if d}
        for uri in set(old) | set(per_uri):
            self._publish(uri, self.for_uri(uri))

    def clear(self, origin: str) -> None:
        self.replace(origin, {})

    def for_uri(self, uri: str) -> list[types.Diagnostic]:
        return [d for files in self._by_origin.values() for d in files.get(uri, [])]

    def on_change(self, uri: str, changes: Iterable[types.TextDocumentContentChangeEvent],
                  new_text: str) -> None:
        """Drop the diagnostics whose line changed, move the others; republish if any moved."""
        changes = list(changes)
        touched = False
        for files in self._by_origin.values():
            current = files.get(uri)
            if not current:
                continue
            kept = after_change(current, changes, new_text)
            if [(d.range, d.message) for d in kept] != [(d.range, d.message) for d in current]:
                files[uri] = kept
                touched = True
        if touched:
            self._publish(uri, self.for_uri(uri))
