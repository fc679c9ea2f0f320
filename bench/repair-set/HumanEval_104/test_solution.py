"""HumanEval/104: the problem's official check, run on solution.unique_digits."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import unique_digits

def check(candidate):

    # Check some simple cases
    assert candidate([15, 33, 1422, 1]) == [1, 15, 33]
    assert candidate([152, 323, 1422, 10]) == []
    assert candidate([12345, 2033, 111, 151]) == [111, 151]
    assert candidate([135, 103, 31]) == [31, 135]

    # Check some edge cases that are easy to work out by hand.
    assert True


def test_check():
    check(unique_digits)
