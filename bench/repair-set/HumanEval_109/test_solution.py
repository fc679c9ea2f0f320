"""HumanEval/109: the problem's official check, run on solution.move_one_ball."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import move_one_ball

def check(candidate):

    # Check some simple cases
    assert candidate([3, 4, 5, 1, 2])==True, "This prints if this assert fails 1 (good for debugging!)"
    assert candidate([3, 5, 10, 1, 2])==True
    assert candidate([4, 3, 1, 2])==False
    # Check some edge cases that are easy to work out by hand.
    assert candidate([3, 5, 4, 1, 2])==False, "This prints if this assert fails 2 (also good for debugging!)"
    assert candidate([])==True


def test_check():
    check(move_one_ball)
