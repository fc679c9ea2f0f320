"""HumanEval/40: the problem's official check, run on solution.triples_sum_to_zero."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import triples_sum_to_zero

METADATA = {}


def check(candidate):
    assert candidate([1, 3, 5, 0]) == False
    assert candidate([1, 3, 5, -1]) == False
    assert candidate([1, 3, -2, 1]) == True
    assert candidate([1, 2, 3, 7]) == False
    assert candidate([1, 2, 5, 7]) == False
    assert candidate([2, 4, -5, 3, 9, 7]) == True
    assert candidate([1]) == False
    assert candidate([1, 3, 5, -100]) == False
    assert candidate([100, 3, 5, -100]) == False


def test_check():
    check(triples_sum_to_zero)
