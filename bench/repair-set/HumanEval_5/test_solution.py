"""HumanEval/5: the problem's official check, run on solution.intersperse."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import intersperse

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([], 7) == []
    assert candidate([5, 6, 3, 2], 8) == [5, 8, 6, 8, 3, 8, 2]
    assert candidate([2, 2, 2], 2) == [2, 2, 2, 2, 2]


def test_check():
    check(intersperse)
