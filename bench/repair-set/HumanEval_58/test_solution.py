"""HumanEval/58: the problem's official check, run on solution.common."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import common

METADATA = {}


def check(candidate):
    assert candidate([1, 4, 3, 34, 653, 2, 5], [5, 7, 1, 5, 9, 653, 121]) == [1, 5, 653]
    assert candidate([5, 3, 2, 8], [3, 2]) == [2, 3]
    assert candidate([4, 3, 2, 8], [3, 2, 4]) == [2, 3, 4]
    assert candidate([4, 3, 2, 8], []) == []


def test_check():
    check(common)
