"""HumanEval/30: the problem's official check, run on solution.get_positive."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import get_positive

METADATA = {}


def check(candidate):
    assert candidate([-1, -2, 4, 5, 6]) == [4, 5, 6]
    assert candidate([5, 3, -5, 2, 3, 3, 9, 0, 123, 1, -10]) == [5, 3, 2, 3, 3, 9, 123, 1]
    assert candidate([-1, -2]) == []
    assert candidate([]) == []


def test_check():
    check(get_positive)
