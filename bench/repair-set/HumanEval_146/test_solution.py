"""HumanEval/146: the problem's official check, run on solution.specialFilter."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import specialFilter

def check(candidate):

    # Check some simple cases
    assert candidate([5, -2, 1, -5]) == 0  
    assert candidate([15, -73, 14, -15]) == 1
    assert candidate([33, -2, -3, 45, 21, 109]) == 2
    assert candidate([43, -12, 93, 125, 121, 109]) == 4
    assert candidate([71, -2, -33, 75, 21, 19]) == 3


    # Check some edge cases that are easy to work out by hand.
    assert candidate([1]) == 0              
    assert candidate([]) == 0


def test_check():
    check(specialFilter)
