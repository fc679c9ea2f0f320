"""HumanEval/90: the problem's official check, run on solution.next_smallest."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import next_smallest

def check(candidate):

    # Check some simple cases
    assert candidate([1, 2, 3, 4, 5]) == 2
    assert candidate([5, 1, 4, 3, 2]) == 2
    assert candidate([]) == None
    assert candidate([1, 1]) == None
    assert candidate([1,1,1,1,0]) == 1
    assert candidate([1, 0**0]) == None
    assert candidate([-35, 34, 12, -45]) == -35

    # Check some edge cases that are easy to work out by hand.
    assert True


def test_check():
    check(next_smallest)
