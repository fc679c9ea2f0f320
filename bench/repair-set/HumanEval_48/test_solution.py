"""HumanEval/48: the problem's official check, run on solution.is_palindrome."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import is_palindrome

METADATA = {}


def check(candidate):
    assert candidate('') == True
    assert candidate('aba') == True
    assert candidate('aaaaa') == True
    assert candidate('zbcd') == False
    assert candidate('xywyx') == True
    assert candidate('xywyz') == False
    assert candidate('xywzx') == False


def test_check():
    check(is_palindrome)
