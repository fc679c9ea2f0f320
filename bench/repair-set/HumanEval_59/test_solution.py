"""HumanEval/59: the problem's official check, run on solution.largest_prime_factor."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import largest_prime_factor

METADATA = {}


def check(candidate):
    assert candidate(15) == 5
    assert candidate(27) == 3
    assert candidate(63) == 7
    assert candidate(330) == 11
    assert candidate(13195) == 29


def test_check():
    check(largest_prime_factor)
