"""HumanEval/10: the problem's official check, run on solution.make_palindrome."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import make_palindrome

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('') == ''
    assert candidate('x') == 'x'
    assert candidate('xyz') == 'xyzyx'
    assert candidate('xyx') == 'xyx'
    assert candidate('jerry') == 'jerryrrej'


def test_check():
    check(make_palindrome)
