"""Retry-After comes from the runs that finished: their mean, less how long the current run has
been going. A clock passed in stands for time, so no test waits for real seconds.
"""

from __future__ import annotations

import asyncio

import pytest

from microagent.server.api.errors import ApiError
from microagent.server.api.run_queue import DEFAULT_RUN_SECONDS, RunQueue


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def run_for(runs: RunQueue, clock: Clock, seconds: float) -> None:
    """One run that takes `seconds` on the clock."""
    gate = asyncio.Event()

    async def run(ticket):
        async with ticket:
            await gate.wait()

    job = runs.start(run)
    await asyncio.sleep(0)  # it takes its slot
    clock.now += seconds
    gate.set()
    await job


def refusal(runs: RunQueue) -> ApiError:
    with pytest.raises(ApiError) as refused:
        runs.start(lambda ticket: asyncio.sleep(0))
    return refused.value


async def hold_a_slot(runs: RunQueue) -> asyncio.Task:
    async def run(ticket):
        async with ticket:
            await asyncio.Event().wait()

    job = runs.start(run)
    await asyncio.sleep(0)
    return job


async def test_before_any_run_finished_the_default_is_said():
    clock = Clock()
    runs = RunQueue(1, 0, clock=clock)
    job = await hold_a_slot(runs)
    refused = refusal(runs)
    assert refused.status == 429 and refused.code == "server_busy"
    assert refused.headers["Retry-After"] == str(int(DEFAULT_RUN_SECONDS))
    job.cancel()


async def test_after_runs_of_known_length_the_header_follows_them():
    clock = Clock()
    runs = RunQueue(1, 0, clock=clock)
    await run_for(runs, clock, 50)
    await run_for(runs, clock, 70)
    assert runs.stats()["mean_run_seconds"] == 60
    job = await hold_a_slot(runs)
    clock.now += 20  # the current run is a third of the way through a mean run
    refused = refusal(runs)
    assert refused.headers["Retry-After"] == "40" and "Retry after 40 s" in refused.message
    clock.now += 100  # overdue: a tenth of a mean run, not an immediate retry
    assert refusal(runs).headers["Retry-After"] == "6"
    job.cancel()


async def test_cancelled_runs_do_not_count_and_each_round_adds_a_mean_run():
    clock = Clock()
    runs = RunQueue(1, 2, clock=clock)
    await run_for(runs, clock, 30)
    job = await hold_a_slot(runs)
    clock.now += 1
    job.cancel()  # a client that left after a second says nothing about run times
    await asyncio.gather(job, return_exceptions=True)
    assert runs.stats()["mean_run_seconds"] == 30
    held = [await hold_a_slot(runs) for _ in range(3)]  # one running, two waiting
    clock.now += 10
    assert runs.seconds_until_start(1) == 20 and runs.seconds_until_start(2) == 50
    assert refusal(runs).headers["Retry-After"] == "20"
    for job in held:
        job.cancel()


async def test_a_closing_queue_refuses_with_503_shutting_down():
    runs = RunQueue(1, 1)
    job = await hold_a_slot(runs)
    runs.close()
    await asyncio.gather(job, return_exceptions=True)
    assert job.cancelled()
    refused = refusal(runs)
    assert refused.status == 503 and refused.code == "shutting_down" and "Retry-After" in refused.headers
