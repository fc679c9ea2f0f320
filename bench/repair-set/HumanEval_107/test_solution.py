"""HumanEval/107: the problem's official check, run on solution.even_odd_palindrome."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import even_odd_palindrome

def check(candidate):

    # Check some simple cases
    assert candidate(123) == (8, 13)
    assert candidate(12) == (4, 6)
    assert candidate(3) == (1, 2)
    assert candidate(63) == (6, 8)
    assert candidate(25) == (5, 6)
    assert candidate(19) == (4, 6)
    assert candidate(9) == (4, 5), "This prints if this assert fails 1 (good for debugging!)"

    # Check some edge cases that are easy to work out by hand.
    assert candidate(1) == (0, 1), "This prints if this assert fails 2 (also good for debugging!)"


def test_check():
    check(even_odd_palindrome)
