"""HumanEval/99: the problem's official check, run on solution.closest_integer."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import closest_integer

def check(candidate):

    # Check some simple cases
    assert candidate("10") == 10, "Test 1"
    assert candidate("14.5") == 15, "Test 2"
    assert candidate("-15.5") == -16, "Test 3"
    assert candidate("15.3") == 15, "Test 3"

    # Check some edge cases that are easy to work out by hand.
    assert candidate("0") == 0, "Test 0"


def test_check():
    check(closest_integer)
