"""Waits for a run unless the client leaves first: a client that disconnects cancels its run,
whose sandbox then removes its containers.

It never lets a run outlive the request that asked for it.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

from microagent.server.api.errors import shutting_down

T = TypeVar("T")
Receive = Callable[[], Awaitable[dict]]


class ClientGone(Exception):
    """The client closed the connection before the answer was ready."""


async def wait_for_disconnect(receive: Receive) -> None:
    """Returns when the ASGI server reports the client gone (the body was already read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def result_unless_disconnected(job: "asyncio.Task[T]", receive: Receive) -> T:
    watcher = asyncio.ensure_future(wait_for_disconnect(receive))
    try:
        await asyncio.wait({job, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not job.done():
            job.cancel()  # the client left, or this handler itself was cancelled
    if not job.done():
        await asyncio.wait({job})  # let the run close its sandbox before the handler ends
        raise ClientGone()
    if job.cancelled():
        raise shutting_down()  # only shutdown cancels a run whose client is still there
    return job.result()
