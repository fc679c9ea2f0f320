"""HumanEval/52: the problem's official check, run on solution.below_threshold."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import below_threshold

METADATA = {}


def check(candidate):
    assert candidate([1, 2, 4, 10], 100)
    assert not candidate([1, 20, 4, 10], 5)
    assert candidate([1, 20, 4, 10], 21)
    assert candidate([1, 20, 4, 10], 22)
    assert candidate([1, 8, 4, 10], 11)
    assert not candidate([1, 8, 4, 10], 10)


def test_check():
    check(below_threshold)
