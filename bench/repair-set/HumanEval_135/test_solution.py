"""HumanEval/135: the problem's official check, run on solution.can_arrange."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import can_arrange

def check(candidate):

    # Check some simple cases
    assert candidate([1,2,4,3,5])==3
    assert candidate([1,2,4,5])==-1
    assert candidate([1,4,2,5,6,7,8,9,10])==2
    assert candidate([4,8,5,7,3])==4

    # Check some edge cases that are easy to work out by hand.
    assert candidate([])==-1


def test_check():
    check(can_arrange)
