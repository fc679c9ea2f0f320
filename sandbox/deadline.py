"""Awaiting with a time limit without losing a cancel.

Python 3.11's `asyncio.wait_for` returns the result when a cancel lands in the instant its
inner await finishes, and the cancelled caller runs on: a run stopped by shutdown went on to
ask the Coder again. `within` is `asyncio.timeout`, which delivers that cancel.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

T = TypeVar("T")


async def within(seconds: float, work: Awaitable[T]) -> T:
    """`work`'s result, or TimeoutError once `seconds` have passed (`work` is then cancelled)."""
    async with asyncio.timeout(seconds):
        return await work
