"""HumanEval/44: the problem's official check, run on solution.change_base."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import change_base

METADATA = {}


def check(candidate):
    assert candidate(8, 3) == "22"
    assert candidate(9, 3) == "100"
    assert candidate(234, 2) == "11101010"
    assert candidate(16, 2) == "10000"
    assert candidate(8, 2) == "1000"
    assert candidate(7, 2) == "111"
    for x in range(2, 8):
        assert candidate(x, x + 1) == str(x)


def test_check():
    check(change_base)
