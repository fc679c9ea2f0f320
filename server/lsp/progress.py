"""Server-initiated work-done progress: `window/workDoneProgress/create`, then begin, reports
and an `end` that is always sent, whether the work succeeds, fails or is cancelled.

Clients that did not announce `window.workDoneProgress` get nothing, and the work runs the same.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from lsprotocol import types

from microagent.server.lsp.host import Host

log = logging.getLogger(__name__)


class ProgressBar:
    def __init__(self, server: Host, token: str) -> None:
        self.server = server
        self.token = token
        self.shown = False  # begin was sent
        self.ended = False
        self.final = "done"  # the message `end` will carry
        self.last_message = ""

    def report(self, message: str, percentage: int | None = None) -> None:
        """A report while the bar is up; a no-op before begin or after end."""
        self.last_message = message
        if not self.shown or self.ended:
            return
        if percentage is not None:
            percentage = max(0, min(100, int(percentage)))
        self.server.work_done_progress.report(self.token, types.WorkDoneProgressReport(
            message=message, percentage=percentage, cancellable=True))

    def end(self, message: str | None = None) -> None:
        if self.ended:
            return
        self.ended = True
        if self.shown:
            self.server.work_done_progress.end(
                self.token, types.WorkDoneProgressEnd(message=message or self.final))
        self.server.work_done_progress.tokens.pop(self.token, None)


@asynccontextmanager
async def progress(server: Host, token: str, title: str,
                   message: str = "starting") -> AsyncIterator[ProgressBar]:
    """A cancellable progress bar for the duration of the block."""
    bar = ProgressBar(server, token)
    if server.client_supports("window.work_done_progress"):
        try:
            await server.work_done_progress.create_async(token)
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title=title, message=message, percentage=0, cancellable=True))
            bar.shown = True
        except Exception as exc:  # noqa: BLE001 - the client refused: work on without a bar
            log.warning("progress refused by the client: %s", exc)
    try:
        yield bar
    finally:
        bar.end()
