"""HumanEval/65: the problem's official check, run on solution.circular_shift."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import circular_shift

def check(candidate):

    # Check some simple cases
    assert candidate(100, 2) == "001"
    assert candidate(12, 2) == "12"
    assert candidate(97, 8) == "79"
    assert candidate(12, 1) == "21", "This prints if this assert fails 1 (good for debugging!)"

    # Check some edge cases that are easy to work out by hand.
    assert candidate(11, 101) == "11", "This prints if this assert fails 2 (also good for debugging!)"


def test_check():
    check(circular_shift)
