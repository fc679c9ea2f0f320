"""HumanEval/155: the problem's official check, run on solution.even_odd_count."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import even_odd_count

def check(candidate):

    # Check some simple cases
    assert candidate(7) == (0, 1)
    assert candidate(-78) == (1, 1)
    assert candidate(3452) == (2, 2)
    assert candidate(346211) == (3, 3)
    assert candidate(-345821) == (3, 3)
    assert candidate(-2) == (1, 0)
    assert candidate(-45347) == (2, 3)
    assert candidate(0) == (1, 0)


    # Check some edge cases that are easy to work out by hand.
    assert True


def test_check():
    check(even_odd_count)
