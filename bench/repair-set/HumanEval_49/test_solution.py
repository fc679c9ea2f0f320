"""HumanEval/49: the problem's official check, run on solution.modp."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import modp

METADATA = {}


def check(candidate):
    assert candidate(3, 5) == 3
    assert candidate(1101, 101) == 2
    assert candidate(0, 101) == 1
    assert candidate(3, 11) == 8
    assert candidate(100, 101) == 1
    assert candidate(30, 5) == 4
    assert candidate(31, 5) == 3


def test_check():
    check(modp)
