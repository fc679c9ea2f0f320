"""HumanEval/13: the problem's official check, run on solution.greatest_common_divisor."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import greatest_common_divisor

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate(3, 7) == 1
    assert candidate(10, 15) == 5
    assert candidate(49, 14) == 7
    assert candidate(144, 60) == 12


def test_check():
    check(greatest_common_divisor)
