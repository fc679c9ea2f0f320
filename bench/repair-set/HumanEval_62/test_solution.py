"""HumanEval/62: the problem's official check, run on solution.derivative."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import derivative

METADATA = {}


def check(candidate):
    assert candidate([3, 1, 2, 4, 5]) == [1, 4, 12, 20]
    assert candidate([1, 2, 3]) == [2, 6]
    assert candidate([3, 2, 1]) == [2, 2]
    assert candidate([3, 2, 1, 0, 4]) == [2, 2, 0, 16]
    assert candidate([1]) == []


def test_check():
    check(derivative)
