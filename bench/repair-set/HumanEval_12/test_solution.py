"""HumanEval/12: the problem's official check, run on solution.longest."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import longest

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate([]) == None
    assert candidate(['x', 'y', 'z']) == 'x'
    assert candidate(['x', 'yyy', 'zzzz', 'www', 'kkkk', 'abc']) == 'zzzz'


def test_check():
    check(longest)
