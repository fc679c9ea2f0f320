"""HumanEval/139: the problem's official check, run on solution.special_factorial."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import special_factorial

def check(candidate):

    # Check some simple cases
    assert candidate(4) == 288, "Test 4"
    assert candidate(5) == 34560, "Test 5"
    assert candidate(7) == 125411328000, "Test 7"

    # Check some edge cases that are easy to work out by hand.
    assert candidate(1) == 1, "Test 1"


def test_check():
    check(special_factorial)
