"""HumanEval/72: the problem's official check, run on solution.will_it_fly."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import will_it_fly

def check(candidate):

    # Check some simple cases
    assert candidate([3, 2, 3], 9) is True
    assert candidate([1, 2], 5) is False
    assert candidate([3], 5) is True
    assert candidate([3, 2, 3], 1) is False


    # Check some edge cases that are easy to work out by hand.
    assert candidate([1, 2, 3], 6) is False
    assert candidate([5], 5) is True


def test_check():
    check(will_it_fly)
