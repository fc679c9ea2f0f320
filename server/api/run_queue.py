"""Admission for runs: at most `concurrency` run at once and `queue` more wait; past that a
request is refused at once with 429 and a Retry-After estimated from the runs that finished.

It never lets a slot outlive its run: a run that is cancelled, queued or running, gives its
place back, and shutdown cancels and awaits every run so their containers are removed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from typing import Awaitable, Callable, TypeVar

from microagent.server.api.errors import ApiError, shutting_down

T = TypeVar("T")
DEFAULT_RUN_SECONDS = 60.0  # the guess before any run finished: about one embedded-model run
MAX_RETRY_SECONDS = 900
RECENT_RUNS = 20


class Ticket:
    """A request's place: in the queue from `RunQueue.start`, running inside `async with`."""

    def __init__(self, queue: "RunQueue") -> None:
        self._queue = queue
        self._started: float | None = None

    async def __aenter__(self) -> "Ticket":
        await self._queue._slots.acquire()
        self._started = self._queue.clock()
        self._queue._running.add(self)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._queue._running.discard(self)
        self._queue._slots.release()
        if self._started is not None and kind is not asyncio.CancelledError:
            self._queue._durations.append(self._queue.clock() - self._started)  # cancelled runs say nothing


class RunQueue:
    """`clock` gives seconds (monotonic); a test passes its own to control the run times seen."""

    def __init__(self, concurrency: int = 1, queue: int = 4, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.clock = clock
        self.admitted = 0  # queued or running
        self.closing = False
        self._slots = asyncio.Semaphore(concurrency)
        self._durations: deque[float] = deque(maxlen=RECENT_RUNS)
        self._running: set[Ticket] = set()
        self._jobs: set[asyncio.Task] = set()

    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def waiting(self) -> int:
        return self.admitted - self.running

    def start(self, run: Callable[[Ticket], Awaitable[T]]) -> "asyncio.Task[T]":
        """Admit a run or raise 429 (503 while shutting down); the run enters `async with
        ticket` when it may start."""
        if self.closing:
            raise shutting_down()
        if self.admitted >= self.concurrency + self.queue:
            wait = self.seconds_until_start(1)
            raise ApiError(
                429, f"The server is busy: {self.running} run(s) running and {self.waiting} "
                     f"waiting, the most it takes. Retry after {wait} s.",
                type="rate_limit_error", code="server_busy", headers={"Retry-After": str(wait)})
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

    def mean_run_seconds(self) -> float:
        """The mean of the last runs that finished (cancelled ones aside), or the default."""
        return sum(self._durations) / len(self._durations) if self._durations else DEFAULT_RUN_SECONDS

    def seconds_until_start(self, position: int) -> int:
        """When the `position`-th request in line (1 = the next) is likely to start: the running
        run nearest its end finishes, then one mean run per further round of `concurrency`.
        At least a tenth of a mean run (an overdue run is no reason to retry at once), at most
        15 minutes."""
        mean = self.mean_run_seconds()
        now = self.clock()
        free_now = self.concurrency - self.running
        left = [max(0.0, mean - (now - t._started)) for t in self._running if t._started is not None]
        first = 0.0 if free_now > 0 or not left else min(left)
        rounds = max(0, math.ceil((position - max(free_now, 0)) / self.concurrency) - 1)
        estimate = first + rounds * mean
        return max(1, math.ceil(mean / 10), min(MAX_RETRY_SECONDS, math.ceil(estimate)))

    def stats(self) -> dict[str, int | float]:
        return {"running": self.running, "waiting": self.waiting,
                "concurrency": self.concurrency, "queue": self.queue,
                "mean_run_seconds": round(self.mean_run_seconds(), 1)}

    def close(self) -> None:
        """Shutting down: refuse new runs and cancel those admitted, whose clients then get
        503 `shutting_down`. Safe to call twice."""
        self.closing = True
        for job in list(self._jobs):
            job.cancel()

    async def cancel_all(self) -> None:
        self.close()
        await asyncio.gather(*list(self._jobs), return_exceptions=True)
