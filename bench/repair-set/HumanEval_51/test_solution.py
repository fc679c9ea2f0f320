"""HumanEval/51: the problem's official check, run on solution.remove_vowels."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import remove_vowels

METADATA = {}


def check(candidate):
    assert candidate('') == ''
    assert candidate("abcdef\nghijklm") == 'bcdf\nghjklm'
    assert candidate('fedcba') == 'fdcb'
    assert candidate('eeeee') == ''
    assert candidate('acBAA') == 'cB'
    assert candidate('EcBOO') == 'cB'
    assert candidate('ybcd') == 'ybcd'


def test_check():
    check(remove_vowels)
