"""HumanEval/79: the problem's official check, run on solution.decimal_to_binary."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import decimal_to_binary

def check(candidate):

    # Check some simple cases
    assert candidate(0) == "db0db"
    assert candidate(32) == "db100000db"
    assert candidate(103) == "db1100111db"
    assert candidate(15) == "db1111db", "This prints if this assert fails 1 (good for debugging!)"

    # Check some edge cases that are easy to work out by hand.
    assert True, "This prints if this assert fails 2 (also good for debugging!)"


def test_check():
    check(decimal_to_binary)
