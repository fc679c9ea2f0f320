"""A cancel never gets lost in a time limit: shutdown cancels a run in whatever instant, and a
run that swallowed it went on to ask the Coder again (Python 3.11's asyncio.wait_for does)."""

from __future__ import annotations

import asyncio
import pathlib

import pytest

from microagent.sandbox.deadline import within

PACKAGE = pathlib.Path(__file__).resolve().parents[2]


async def quick() -> int:
    return 1


async def step() -> int:
    return await within(100, asyncio.ensure_future(quick()))


@pytest.mark.parametrize("spins", range(4))
def test_a_cancel_that_lands_as_the_work_finishes_still_cancels(spins):
    async def main() -> str:
        outer = asyncio.ensure_future(step())
        for _ in range(spins):
            await asyncio.sleep(0)
        if outer.done():
            return "finished first"
        outer.cancel()
        try:
            await outer
        except asyncio.CancelledError:
            return "cancelled"
        return "the cancel was swallowed"

    assert asyncio.run(main()) in ("cancelled", "finished first")


def test_the_time_limit_still_stops_slow_work():
    async def main() -> None:
        await within(0.05, asyncio.sleep(10))

    with pytest.raises(TimeoutError):
        asyncio.run(main())


def test_no_module_uses_asyncio_wait_for():
    offenders = [str(p.relative_to(PACKAGE)) for folder in ("agents", "sandbox", "server", "bench")
                 for p in (PACKAGE / folder).rglob("*.py") if "asyncio.wait_for(" in p.read_text()]
    assert offenders == []
