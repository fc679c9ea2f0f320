"""HumanEval/83: the problem's official check, run on solution.starts_one_ends."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import starts_one_ends

def check(candidate):

    # Check some simple cases
    assert True, "This prints if this assert fails 1 (good for debugging!)"
    assert candidate(1) == 1
    assert candidate(2) == 18
    assert candidate(3) == 180
    assert candidate(4) == 1800
    assert candidate(5) == 18000

    # Check some edge cases that are easy to work out by hand.
    assert True, "This prints if this assert fails 2 (also good for debugging!)"


def test_check():
    check(starts_one_ends)
