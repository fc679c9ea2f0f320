import pytest

from jobs import Job, JobGraphError, topological_order, validate


def test_job_defaults():
    job = Job("build", 3)
    assert (job.priority, job.submit_at, job.deps) == (0, 0.0, ())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "", "duration": 1},
        {"name": "a", "duration": 0},
        {"name": "a", "duration": 1, "submit_at": -1},
    ],
)
def test_invalid_jobs(kwargs):
    with pytest.raises(ValueError):
        Job(**kwargs)


def test_self_dependency():
    with pytest.raises(JobGraphError):
        Job("a", 1, deps=("a",))


def test_topological_order_is_deterministic():
    jobs = [
        Job("deploy", 1, deps=("test", "package")),
        Job("test", 1, deps=("build",)),
        Job("package", 1, deps=("build",)),
        Job("build", 1),
        Job("docs", 1),
    ]
    assert topological_order(jobs) == ["build", "docs", "package", "test", "deploy"]


def test_unknown_dependency():
    with pytest.raises(JobGraphError, match="unknown"):
        topological_order([Job("a", 1, deps=("ghost",))])


def test_cycle_detected():
    jobs = [Job("a", 1, deps=("c",)), Job("b", 1, deps=("a",)), Job("c", 1, deps=("b",))]
    with pytest.raises(JobGraphError, match="cycle"):
        topological_order(jobs)


def test_duplicate_names():
    with pytest.raises(JobGraphError):
        validate([Job("a", 1), Job("a", 2)])
