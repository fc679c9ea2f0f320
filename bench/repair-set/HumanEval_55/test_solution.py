"""HumanEval/55: the problem's official check, run on solution.fib."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import fib

METADATA = {}


def check(candidate):
    assert candidate(10) == 55
    assert candidate(1) == 1
    assert candidate(8) == 21
    assert candidate(11) == 89
    assert candidate(12) == 144


def test_check():
    check(fib)
