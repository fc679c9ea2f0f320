"""HumanEval/15: the problem's official check, run on solution.string_sequence."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import string_sequence

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate(0) == '0'
    assert candidate(3) == '0 1 2 3'
    assert candidate(10) == '0 1 2 3 4 5 6 7 8 9 10'


def test_check():
    check(string_sequence)
