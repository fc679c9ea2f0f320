"""Discrete-event simulation of jobs running on a pool of workers."""

import heapq
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from jobs import Job, validate
from pqueue import ReadyQueue


@dataclass(frozen=True)
class Run:
    job: str
    worker: int
    start: float
    end: float


def simulate(
    jobs: Iterable[Job],
    workers: int = 1,
    aging_interval: Optional[float] = None,
    max_boost: Optional[int] = None,
) -> List[Run]:
    """Run every job; return the runs in start order (then worker order).

    A job enters the ready queue once it is submitted and its dependencies
    have finished. Whenever workers are free, the lowest-numbered free worker
    takes the job the queue ranks first. Jobs are never pre-empted.
    """
    if workers < 1:
        raise ValueError("need at least one worker")
    by_name = validate(jobs)
    pending = sorted(by_name.values(), key=lambda j: (j.submit_at, j.name))
    waiting: List[Job] = []
    queue = ReadyQueue(aging_interval, max_boost)
    running: List[tuple] = []  # heap of (end, worker, job name)
    free = list(range(workers))
    done = set()
    runs: List[Run] = []
    now = 0.0
    while pending or waiting or queue or running:
        while running and running[0][0] <= now:
            _, worker, name = heapq.heappop(running)
            done.add(name)
            free.append(worker)
        while pending and pending[0].submit_at <= now:
            waiting.append(pending.pop(0))
        blocked = []
        for job in waiting:
            if all(dep in done for dep in job.deps):
                queue.push(job, now)
            else:
                blocked.append(job)
        waiting = blocked
        free.sort()
        while free and queue:
            job = queue.pop(now)
            worker = free.pop(0)
            runs.append(Run(job.name, worker, now, now + job.duration))
            heapq.heappush(running, (now + job.duration, worker, job.name))
        upcoming = [running[0][0]] if running else []
        if pending:
            upcoming.append(pending[0].submit_at)
        if not upcoming:
            break
        now = max(now, min(upcoming))
    return runs


def makespan(runs: List[Run]) -> float:
    return max((r.end for r in runs), default=0.0)


def waiting_times(jobs: Iterable[Job], runs: List[Run]) -> Dict[str, float]:
    """Time from submission to start, per job."""
    submitted = {job.name: job.submit_at for job in jobs}
    return {r.job: r.start - submitted[r.job] for r in runs}


def utilisation(runs: List[Run], workers: int) -> Dict[int, float]:
    """Busy fraction of each worker over the makespan."""
    span = makespan(runs)
    busy = {w: 0.0 for w in range(workers)}
    for r in runs:
        busy[r.worker] += r.end - r.start
    return {w: (b / span if span else 0.0) for w, b in busy.items()}
