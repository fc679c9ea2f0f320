"""HumanEval/137: the problem's official check, run on solution.compare_one."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import compare_one

def check(candidate):

    # Check some simple cases
    assert candidate(1, 2) == 2
    assert candidate(1, 2.5) == 2.5
    assert candidate(2, 3) == 3
    assert candidate(5, 6) == 6
    assert candidate(1, "2,3") == "2,3"
    assert candidate("5,1", "6") == "6"
    assert candidate("1", "2") == "2"
    assert candidate("1", 1) == None

    # Check some edge cases that are easy to work out by hand.
    assert True


def test_check():
    check(compare_one)
