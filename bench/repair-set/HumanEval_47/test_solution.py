"""HumanEval/47: the problem's official check, run on solution.median."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import median

METADATA = {}


def check(candidate):
    assert candidate([3, 1, 2, 4, 5]) == 3
    assert candidate([-10, 4, 6, 1000, 10, 20]) == 8.0
    assert candidate([5]) == 5
    assert candidate([6, 5]) == 5.5
    assert candidate([8, 1, 3, 9, 9, 2, 7]) == 7


def test_check():
    check(median)
