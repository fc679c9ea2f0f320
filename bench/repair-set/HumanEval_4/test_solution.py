"""HumanEval/4: the problem's official check, run on solution.mean_absolute_deviation."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import mean_absolute_deviation

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert abs(candidate([1.0, 2.0, 3.0]) - 2.0/3.0) < 1e-6
    assert abs(candidate([1.0, 2.0, 3.0, 4.0]) - 1.0) < 1e-6
    assert abs(candidate([1.0, 2.0, 3.0, 4.0, 5.0]) - 6.0/5.0) < 1e-6


def test_check():
    check(mean_absolute_deviation)
