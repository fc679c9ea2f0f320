"""HumanEval/19: the problem's official check, run on solution.sort_numbers."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import sort_numbers

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('') == ''
    assert candidate('three') == 'three'
    assert candidate('three five nine') == 'three five nine'
    assert candidate('five zero four seven nine eight') == 'zero four five seven eight nine'
    assert candidate('six five four three two one zero') == 'zero one two three four five six'


def test_check():
    check(sort_numbers)
