"""HumanEval/63: the problem's official check, run on solution.fibfib."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import fibfib

METADATA = {}


def check(candidate):
    assert candidate(2) == 1
    assert candidate(1) == 0
    assert candidate(5) == 4
    assert candidate(8) == 24
    assert candidate(10) == 81
    assert candidate(12) == 274
    assert candidate(14) == 927


def test_check():
    check(fibfib)
