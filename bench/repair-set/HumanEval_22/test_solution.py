"""HumanEval/22: the problem's official check, run on solution.filter_integers."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import filter_integers

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([]) == []
    assert candidate([4, {}, [], 23.2, 9, 'adasd']) == [4, 9]
    assert candidate([3, 'c', 3, 3, 'a', 'b']) == [3, 3, 3]


def test_check():
    check(filter_integers)
