"""Admission for runs: at most `concurrency` run at once and `queue` more wait; past that a
request is refused at once with 429 and a Retry-After estimated from recent runs.

It never lets a slot outlive its run: a run that is cancelled, queued or running, gives its
place back, and shutdown cancels and awaits every run so their containers are removed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from typing import Awaitable, Callable, TypeVar

from microagent.server.api.errors import ApiError

T = TypeVar("T")
DEFAULT_RETRY_SECONDS = 10


class Ticket:
    """A request's place: in the queue from `RunQueue.start`, running inside `async with`."""

    def __init__(self, queue: "RunQueue") -> None:
        self._queue = queue
        self._started: float | None = None

    async def __aenter__(self) -> "Ticket":
        await self._queue._slots.acquire()
        self._queue.running += 1
        self._started = time.monotonic()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._queue.running -= 1
        self._queue._slots.release()
        if self._started is not None:
            self._queue._durations.append(time.monotonic() - self._started)


class RunQueue:
    def __init__(self, concurrency: int = 1, queue: int = 4) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.admitted = 0  # queued or running
        self.running = 0
        self._slots = asyncio.Semaphore(concurrency)
        self._durations: deque[float] = deque(maxlen=20)
        self._jobs: set[asyncio.Task] = set()

    @property
    def waiting(self) -> int:
        return self.admitted - self.running

    def start(self, run: Callable[[Ticket], Awaitable[T]]) -> "asyncio.Task[T]":
        """Admit a run or raise 429; the run enters `async with ticket` when it may start."""
        if self.admitted >= self.concurrency + self.queue:
            raise ApiError(
                429, f"The server is busy: {self.running} run(s) running and {self.waiting} "
                     f"waiting, the most it takes. Retry after {self.retry_after()} s.",
                type="rate_limit_error", code="server_busy",
                headers={"Retry-After": str(self.retry_after())})
        self.admitted += 1
        ticket = Ticket(self)

        async def admitted() -> T:
            try:
                return await run(ticket)
            finally:
                self.admitted -= 1

        job = asyncio.ensure_future(admitted())
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return job

    def retry_after(self) -> int:
        """Seconds until a place is likely free: the mean recent run times the waiting rounds."""
        if not self._durations:
            return DEFAULT_RETRY_SECONDS
        mean = sum(self._durations) / len(self._durations)
        rounds = 1 + self.waiting // max(1, self.concurrency)
        return max(1, min(600, math.ceil(mean * rounds)))

    def stats(self) -> dict[str, int]:
        return {"running": self.running, "waiting": self.waiting,
                "concurrency": self.concurrency, "queue": self.queue}

    async def cancel_all(self) -> None:
        jobs = list(self._jobs)
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
