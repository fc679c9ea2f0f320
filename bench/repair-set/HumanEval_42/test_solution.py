"""HumanEval/42: the problem's official check, run on solution.incr_list."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import incr_list

METADATA = {}


def check(candidate):
    assert candidate([]) == []
    assert candidate([3, 2, 1]) == [4, 3, 2]
    assert candidate([5, 2, 5, 2, 3, 3, 9, 0, 123]) == [6, 3, 6, 3, 4, 4, 10, 1, 124]


def test_check():
    check(incr_list)
