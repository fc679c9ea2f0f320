"""HumanEval/102: the problem's official check, run on solution.choose_num."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import choose_num

def check(candidate):

    # Check some simple cases
    assert candidate(12, 15) == 14
    assert candidate(13, 12) == -1
    assert candidate(33, 12354) == 12354
    assert candidate(5234, 5233) == -1
    assert candidate(6, 29) == 28
    assert candidate(27, 10) == -1

    # Check some edge cases that are easy to work out by hand.
    assert candidate(7, 7) == -1
    assert candidate(546, 546) == 546


def test_check():
    check(choose_num)
