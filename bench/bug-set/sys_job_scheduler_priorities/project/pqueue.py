"""The ready queue: highest effective priority first, FIFO among equals.

With aging enabled, a job gains one priority point for every full
``aging_interval`` it has waited in the queue (at most ``max_boost``), so
low-priority work cannot be starved forever by a stream of urgent jobs.
"""

import itertools
from dataclasses import dataclass
from typing import List, Optional

from jobs import Job


def age_bonus(enqueued_at: float, now: float, interval: Optional[float], cap: Optional[int] = None) -> int:
    """Priority points earned by waiting from ``enqueued_at`` until ``now``."""
    if not interval:
        return 0
    bonus = max(0, int((now - enqueued_at) // interval))
    return bonus if cap is None else min(bonus, cap)


@dataclass
class _Entry:
    job: Job
    enqueued_at: float
    seq: int


class ReadyQueue:
    def __init__(self, aging_interval: Optional[float] = None, max_boost: Optional[int] = None):
        if aging_interval is not None and aging_interval <= 0:
            raise ValueError("aging_interval must be positive")
        self.aging_interval = aging_interval
        self.max_boost = max_boost
        self._entries: List[_Entry] = []
        self._counter = itertools.count()

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def push(self, job: Job, now: float) -> None:
        self._entries.append(_Entry(job, now, next(self._counter)))

    def effective_priority(self, entry: _Entry, now: float) -> int:
        bonus = age_bonus(entry.enqueued_at, now, self.aging_interval, self.max_boost)
        return entry.job.priority + bonus

    def peek(self, now: float) -> Job:
        return self._best(now).job

    def pop(self, now: float) -> Job:
        entry = self._best(now)
        self._entries.remove(entry)
        return entry.job

    def snapshot(self, now: float) -> List[tuple]:
        """(name, effective priority) in the order jobs would be popped now."""
        ordered = sorted(self._entries, key=lambda e: (-self.effective_priority(e, now), e.seq))
        return [(e.job.name, self.effective_priority(e, now)) for e in ordered]

    def _best(self, now: float) -> _Entry:
        if not self._entries:
            raise IndexError("pop from an empty ready queue")
        return min(self._entries, key=lambda e: (-self.effective_priority(e, now), e.seq))
