"""HumanEval/80: the problem's official check, run on solution.is_happy."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import is_happy

def check(candidate):

    # Check some simple cases
    assert candidate("a") == False , "a"
    assert candidate("aa") == False , "aa"
    assert candidate("abcd") == True , "abcd"
    assert candidate("aabb") == False , "aabb"
    assert candidate("adb") == True , "adb"
    assert candidate("xyy") == False , "xyy"
    assert candidate("iopaxpoi") == True , "iopaxpoi"
    assert candidate("iopaxioi") == False , "iopaxioi"


def test_check():
    check(is_happy)
