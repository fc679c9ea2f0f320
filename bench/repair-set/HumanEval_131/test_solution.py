"""HumanEval/131: the problem's official check, run on solution.digits."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import digits

def check(candidate):

    # Check some simple cases
    assert candidate(5) == 5
    assert candidate(54) == 5
    assert candidate(120) ==1
    assert candidate(5014) == 5
    assert candidate(98765) == 315
    assert candidate(5576543) == 2625

    # Check some edge cases that are easy to work out by hand.
    assert candidate(2468) == 0


def test_check():
    check(digits)
