"""HumanEval/85: the problem's official check, run on solution.add."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import add

def check(candidate):

    # Check some simple cases
    assert candidate([4, 88]) == 88
    assert candidate([4, 5, 6, 7, 2, 122]) == 122
    assert candidate([4, 0, 6, 7]) == 0
    assert candidate([4, 4, 6, 8]) == 12

    # Check some edge cases that are easy to work out by hand.


def test_check():
    check(add)
