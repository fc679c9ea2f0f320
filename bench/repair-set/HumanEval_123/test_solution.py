"""HumanEval/123: the problem's official check, run on solution.get_odd_collatz."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import get_odd_collatz

def check(candidate):

    # Check some simple cases
    assert candidate(14) == [1, 5, 7, 11, 13, 17]
    assert candidate(5) == [1, 5]
    assert candidate(12) == [1, 3, 5], "This prints if this assert fails 1 (good for debugging!)"

    # Check some edge cases that are easy to work out by hand.
    assert candidate(1) == [1], "This prints if this assert fails 2 (also good for debugging!)"


def test_check():
    check(get_odd_collatz)
