import pytest

from jobs import Job, JobGraphError
from scheduler import Run, makespan, simulate, utilisation, waiting_times


def order(runs):
    return [r.job for r in runs]


def urgent_stream(count=6):
    """High-priority jobs arriving back to back on a single worker."""
    return [Job(f"h{i}", 2, priority=5, submit_at=2 * i) for i in range(count)]


def test_single_job():
    assert simulate([Job("a", 3)]) == [Run("a", 0, 0, 3)]


def test_higher_priority_first():
    jobs = [Job("low", 1, priority=1), Job("high", 1, priority=9), Job("mid", 1, priority=5)]
    assert order(simulate(jobs)) == ["high", "mid", "low"]


def test_equal_priority_is_fifo_by_submission():
    jobs = [Job("b", 1, submit_at=0), Job("a", 1, submit_at=0.5), Job("c", 1, submit_at=0.2)]
    assert order(simulate(jobs)) == ["b", "c", "a"]


def test_dependencies_wait_for_completion():
    jobs = [
        Job("deploy", 1, priority=9, deps=("test",)),
        Job("test", 2, deps=("build",)),
        Job("build", 3),
        Job("lint", 1, priority=1),
    ]
    runs = simulate(jobs, workers=2)
    starts = {r.job: (r.start, r.worker) for r in runs}
    assert starts == {"lint": (0, 0), "build": (0, 1), "test": (3, 0), "deploy": (5, 0)}


def test_free_workers_take_work_lowest_id_first():
    jobs = [Job(name, 2) for name in "abc"]
    runs = simulate(jobs, workers=3)
    assert [(r.job, r.worker) for r in runs] == [("a", 0), ("b", 1), ("c", 2)]


def test_idle_until_next_submission():
    runs = simulate([Job("a", 1), Job("b", 1, submit_at=10)])
    assert runs[1] == Run("b", 0, 10, 11)
    assert makespan(runs) == 11


def test_no_preemption():
    jobs = [Job("long", 10, priority=1), Job("urgent", 1, priority=9, submit_at=1)]
    runs = simulate(jobs)
    assert runs[1] == Run("urgent", 0, 10, 11)


def test_without_aging_low_priority_job_waits_for_the_whole_stream():
    jobs = urgent_stream() + [Job("report", 1, priority=1)]
    assert order(simulate(jobs))[-1] == "report"


def test_aging_lets_low_priority_job_through():
    jobs = urgent_stream() + [Job("report", 1, priority=1)]
    runs = simulate(jobs, aging_interval=2)
    assert order(runs) == ["h0", "h1", "h2", "h3", "report", "h4", "h5"]


def test_aging_bounds_waiting_time():
    jobs = urgent_stream() + [Job("report", 1, priority=1)]
    waits = waiting_times(jobs, simulate(jobs, aging_interval=2))
    assert waits["report"] == 8
    assert max(waits.values()) == 8


def test_boost_cap_limits_aging():
    jobs = urgent_stream() + [Job("report", 1, priority=1)]
    runs = simulate(jobs, aging_interval=2, max_boost=2)
    assert order(runs)[-1] == "report"


def test_utilisation():
    jobs = [Job("a", 4), Job("b", 2)]
    runs = simulate(jobs, workers=2)
    assert utilisation(runs, 2) == {0: 1.0, 1: 0.5}


def test_invalid_inputs():
    with pytest.raises(ValueError):
        simulate([Job("a", 1)], workers=0)
    with pytest.raises(JobGraphError):
        simulate([Job("a", 1, deps=("b",)), Job("b", 1, deps=("a",))])
    with pytest.raises(ValueError):
        simulate([Job("a", 1)], aging_interval=0)
