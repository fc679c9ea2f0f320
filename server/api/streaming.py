"""The streamed answer as server-sent events in the OpenAI chunk format: progress in the
`microagent` field of intermediate chunks, the answer as content deltas as soon as the tests
pass (before the review), then the final chunk with the review's remarks, then `[DONE]`.

A standard client sees an ordinary streamed answer. The stream never outlives its run's
client: when the client leaves, the generator is closed and the run cancelled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterator

from microagent.agents.types import Event, EventKind, RunResult, RunStatus
from microagent.server.api.answer import answer_text, chunk, details, progress, usage
from microagent.server.api.errors import ApiError, internal_error, shutting_down

log = logging.getLogger(__name__)
KEEPALIVE_SECONDS = 15.0  # an SSE comment now and then keeps proxies from closing a long run


@dataclass
class StreamHead:
    request_id: str
    model: str
    created: int
    module: str
    include_usage: bool
    started: float
    waiting: int = 0  # runs ahead of this one when it was admitted


def sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"


async def stream_answer(job: "asyncio.Task[RunResult]", events: "asyncio.Queue[Event]",
                        head: StreamHead) -> AsyncIterator[str]:
    """A proven fix's answer is streamed as soon as its tests pass; the review's remarks come
    with the final chunk. Once the answer is out, the run's end (even a failed or stopped
    review) cannot take it back: the final chunk then reports the proven result."""
    ids = {"request_id": head.request_id, "model": head.model, "created": head.created}
    getter: asyncio.Future | None = None
    sent: RunResult | None = None  # the proven result whose answer is out

    def content(result: RunResult) -> Iterator[str]:
        for line in answer_text(result, head.module).splitlines(keepends=True):
            yield sse(chunk(**ids, delta={"content": line}))

    try:
        yield sse(chunk(**ids, delta={"role": "assistant", "content": ""}))
        if head.waiting:
            yield sse(chunk(**ids, microagent={"event": "queued", "waiting": head.waiting,
                                               "message": "waiting for a free run slot"}))
        while True:
            getter = asyncio.ensure_future(events.get())
            done, _ = await asyncio.wait({job, getter}, timeout=KEEPALIVE_SECONDS,
                                         return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                event = getter.result()
                if event.kind == EventKind.proven and event.result is not None and sent is None:
                    sent = event.result
                    for line in content(sent):
                        yield line
                yield sse(chunk(**ids, microagent=progress(event)))
                continue
            getter.cancel()
            if job in done:
                break
            yield ": keepalive\n\n"
        while not events.empty():
            yield sse(chunk(**ids, microagent=progress(events.get_nowait())))
        try:
            if job.cancelled() and sent is None:  # only shutdown cancels a run whose client is still reading
                raise shutting_down()
            result = sent if job.cancelled() else job.result()
        except ApiError as exc:
            if sent is None:
                yield sse(exc.body())
                yield sse("[DONE]")
                return
            result = sent
        except Exception:
            log.exception("%s: the run failed unexpectedly", head.request_id)
            if sent is None:
                yield sse(internal_error(head.request_id).body())
                yield sse("[DONE]")
                return
            result = sent
        if sent is None:
            for line in content(result):
                yield line
        elif result.status != RunStatus.solved:
            result = sent  # the answer out is the proven one
        final = details(result, head.request_id, time.monotonic() - head.started)
        yield sse(chunk(**ids, finish_reason="stop", microagent=final))
        if head.include_usage:
            yield sse({"id": f"chatcmpl-{head.request_id}", "object": "chat.completion.chunk",
                       "created": head.created, "model": head.model, "choices": [],
                       "usage": usage(result)})
        yield sse("[DONE]")
    finally:
        if getter is not None:
            getter.cancel()
        if not job.done():
            job.cancel()
            log.info("%s: the client left; run cancelled", head.request_id)
