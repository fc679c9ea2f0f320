"""HumanEval/26: the problem's official check, run on solution.remove_duplicates."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import remove_duplicates

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([]) == []
    assert candidate([1, 2, 3, 4]) == [1, 2, 3, 4]
    assert candidate([1, 2, 3, 2, 4, 3, 5]) == [1, 4, 5]


def test_check():
    check(remove_duplicates)
