"""HumanEval/14: the problem's official check, run on solution.all_prefixes."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import all_prefixes

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('') == []
    assert candidate('asdfgh') == ['a', 'as', 'asd', 'asdf', 'asdfg', 'asdfgh']
    assert candidate('WWW') == ['W', 'WW', 'WWW']


def test_check():
    check(all_prefixes)
