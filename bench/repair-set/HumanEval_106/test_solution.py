"""HumanEval/106: the problem's official check, run on solution.f."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import f

def check(candidate):

    assert candidate(5) == [1, 2, 6, 24, 15]
    assert candidate(7) == [1, 2, 6, 24, 15, 720, 28]
    assert candidate(1) == [1]
    assert candidate(3) == [1, 2, 6]


def test_check():
    check(f)
