"""HumanEval/18: the problem's official check, run on solution.how_many_times."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import how_many_times

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('', 'x') == 0
    assert candidate('xyxyxyx', 'x') == 4
    assert candidate('cacacacac', 'cac') == 4
    assert candidate('john doe', 'john') == 1


def test_check():
    check(how_many_times)
