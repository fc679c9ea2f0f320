"""HumanEval/75: the problem's official check, run on solution.is_multiply_prime."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import is_multiply_prime

def check(candidate):

    assert candidate(5) == False
    assert candidate(30) == True
    assert candidate(8) == True
    assert candidate(10) == False
    assert candidate(125) == True
    assert candidate(3 * 5 * 7) == True
    assert candidate(3 * 6 * 7) == False
    assert candidate(9 * 9 * 9) == False
    assert candidate(11 * 9 * 9) == False
    assert candidate(11 * 13 * 7) == True


def test_check():
    check(is_multiply_prime)
