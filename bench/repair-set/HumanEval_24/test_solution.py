"""HumanEval/24: the problem's official check, run on solution.largest_divisor."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import largest_divisor

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate(3) == 1
    assert candidate(7) == 1
    assert candidate(10) == 5
    assert candidate(100) == 50
    assert candidate(49) == 7


def test_check():
    check(largest_divisor)
