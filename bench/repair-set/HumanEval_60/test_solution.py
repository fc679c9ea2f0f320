"""HumanEval/60: the problem's official check, run on solution.sum_to_n."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import sum_to_n

METADATA = {}


def check(candidate):
    assert candidate(1) == 1
    assert candidate(6) == 21
    assert candidate(11) == 66
    assert candidate(30) == 465
    assert candidate(100) == 5050


def test_check():
    check(sum_to_n)
