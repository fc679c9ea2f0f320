"""HumanEval/11: the problem's official check, run on solution.string_xor."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import string_xor

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('111000', '101010') == '010010'
    assert candidate('1', '1') == '0'
    assert candidate('0101', '0000') == '0101'


def test_check():
    check(string_xor)
