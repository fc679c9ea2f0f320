"""HumanEval/46: the problem's official check, run on solution.fib4."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import fib4

METADATA = {}


def check(candidate):
    assert candidate(5) == 4
    assert candidate(8) == 28
    assert candidate(10) == 104
    assert candidate(12) == 386


def test_check():
    check(fib4)
