"""HumanEval/9: the problem's official check, run on solution.rolling_max."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import rolling_max

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([]) == []
    assert candidate([1, 2, 3, 4]) == [1, 2, 3, 4]
    assert candidate([4, 3, 2, 1]) == [4, 4, 4, 4]
    assert candidate([3, 2, 3, 100, 3]) == [3, 3, 3, 100, 100]


def test_check():
    check(rolling_max)
