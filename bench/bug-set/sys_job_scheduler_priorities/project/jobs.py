"""Job definitions and dependency checks."""

from dataclasses import dataclass
from typing import Dict, Iterable, List, Tuple


class JobGraphError(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    """A unit of work.

    Higher ``priority`` runs first. ``submit_at`` is when the job becomes
    known to the scheduler; it can only start once every job named in
    ``deps`` has finished.
    """

    name: str
    duration: float
    priority: int = 0
    submit_at: float = 0.0
    deps: Tuple[str, ...] = ()

    def __post_init__(self):
        if not self.name:
            raise ValueError("a job needs a name")
        if self.duration <= 0:
            raise ValueError(f"job {self.name}: duration must be positive")
        if self.submit_at < 0:
            raise ValueError(f"job {self.name}: submit_at cannot be negative")
        if self.name in self.deps:
            raise JobGraphError(f"job {self.name} depends on itself")


def index_jobs(jobs: Iterable[Job]) -> Dict[str, Job]:
    by_name: Dict[str, Job] = {}
    for job in jobs:
        if job.name in by_name:
            raise JobGraphError(f"duplicate job name {job.name}")
        by_name[job.name] = job
    return by_name


def topological_order(jobs: Iterable[Job]) -> List[str]:
    """Job names so that every job comes after its dependencies.

    Among jobs whose dependencies are satisfied, names are taken in
    alphabetical order, so the result is deterministic. Raises
    :class:`JobGraphError` on unknown dependencies and cycles.
    """
    by_name = index_jobs(jobs)
    for job in by_name.values():
        missing = [d for d in job.deps if d not in by_name]
        if missing:
            raise JobGraphError(f"job {job.name} depends on unknown {missing}")
    remaining = {name: set(job.deps) for name, job in by_name.items()}
    order: List[str] = []
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if not deps)
        if not ready:
            raise JobGraphError(f"dependency cycle among {sorted(remaining)}")
        for name in ready:
            del remaining[name]
            order.append(name)
        for deps in remaining.values():
            deps.difference_update(ready)
    return order


def validate(jobs: Iterable[Job]) -> Dict[str, Job]:
    jobs = list(jobs)
    topological_order(jobs)
    return index_jobs(jobs)
