"""HumanEval/31: the problem's official check, run on solution.is_prime."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import is_prime

METADATA = {}


def check(candidate):
    assert candidate(6) == False
    assert candidate(101) == True
    assert candidate(11) == True
    assert candidate(13441) == True
    assert candidate(61) == True
    assert candidate(4) == False
    assert candidate(1) == False
    assert candidate(5) == True
    assert candidate(11) == True
    assert candidate(17) == True
    assert candidate(5 * 17) == False
    assert candidate(11 * 7) == False
    assert candidate(13441 * 19) == False


def test_check():
    check(is_prime)
