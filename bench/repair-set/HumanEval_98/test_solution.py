"""HumanEval/98: the problem's official check, run on solution.count_upper."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import count_upper

def check(candidate):

    # Check some simple cases
    assert candidate('aBCdEf')  == 1
    assert candidate('abcdefg') == 0
    assert candidate('dBBE') == 0
    assert candidate('B')  == 0
    assert candidate('U')  == 1
    assert candidate('') == 0
    assert candidate('EEEE') == 2

    # Check some edge cases that are easy to work out by hand.
    assert True


def test_check():
    check(count_upper)
