"""HumanEval/8: the problem's official check, run on solution.sum_product."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import sum_product

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([]) == (0, 1)
    assert candidate([1, 1, 1]) == (3, 1)
    assert candidate([100, 0]) == (100, 0)
    assert candidate([3, 5, 7]) == (3 + 5 + 7, 3 * 5 * 7)
    assert candidate([10]) == (10, 10)


def test_check():
    check(sum_product)
