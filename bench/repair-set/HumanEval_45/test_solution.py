"""HumanEval/45: the problem's official check, run on solution.triangle_area."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import triangle_area

METADATA = {}


def check(candidate):
    assert candidate(5, 3) == 7.5
    assert candidate(2, 2) == 2.0
    assert candidate(10, 8) == 40.0


def test_check():
    check(triangle_area)
