"""The thread where runs live: one asyncio loop of their own, started on first use.

The agents loop has synchronous stretches (splicing code, writing snapshots, forking test
processes, counting tokens) that would stall the server's loop for tens of milliseconds; here
they stall only this one, and the server keeps answering. Nothing here knows what a run is.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Awaitable, Callable, Coroutine

log = logging.getLogger(__name__)


class AgentThread:
    def __init__(self, name: str = "microagent-runs") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._cleanups: set[asyncio.Future] = set()  # touched only on this thread's loop
        self._running: set[asyncio.Future] = set()  # likewise

    @property
    def started(self) -> bool:
        return self._loop is not None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                ready = threading.Event()
                loop = asyncio.new_event_loop()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                threading.Thread(target=serve, name=self._name, daemon=True).start()
                ready.wait()
                self._loop = loop
            return self._loop

    def submit(self, coroutine: Coroutine[Any, Any, Any], *, track: bool = True) -> asyncio.Future:
        """Run a coroutine on this thread's loop; await the result from the caller's loop.
        Cancelling the returned future cancels the coroutine. Tracked work is what `drain`
        and `stop_all` wait for."""
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(
            self._tracked(coroutine) if track else coroutine, self.loop))

    async def _tracked(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        try:
            return await coroutine
        finally:
            self._running.discard(task)

    def call(self, function: Callable[..., Any], *args: Any) -> None:
        """Call a plain function on this thread's loop (for objects that belong to it)."""
        self.loop.call_soon_threadsafe(function, *args)

    def cleanup(self, work: Awaitable[Any]) -> None:
        """Start cleanup work on this thread's loop (call it from there); `drain` waits for it."""
        future = asyncio.ensure_future(work)
        self._cleanups.add(future)
        future.add_done_callback(self._cleanups.discard)
        future.add_done_callback(_retrieved)

    async def drain(self, timeout: float, *, cleanups_only: bool = True) -> None:
        """Wait (on this thread's loop) until every cleanup, and unless `cleanups_only` every
        tracked coroutine, has finished, or `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            pending = set(self._cleanups) | (set() if cleanups_only else set(self._running))
            pending.discard(asyncio.current_task())
            if not pending:
                return
            await asyncio.wait(pending, timeout=deadline - loop.time())

    async def stop_all(self, timeout: float) -> None:
        """Cancel every tracked coroutine (their `finally` blocks start cleanups), then wait for
        them and their cleanups. For a server that is exiting."""
        for task in list(self._running):
            if task is not asyncio.current_task():
                task.cancel()
        await self.drain(timeout, cleanups_only=False)


def _retrieved(future: asyncio.Future) -> None:
    """Log a failed cleanup here, or asyncio reports "Task exception was never retrieved" when
    the future is collected, perhaps long after, with no hint of what it was cleaning up."""
    if not future.cancelled() and future.exception() is not None:
        log.warning("cleanup failed: %r", future.exception())
