"""HumanEval/67: the problem's official check, run on solution.fruit_distribution."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import fruit_distribution

def check(candidate):

    # Check some simple cases
    assert candidate("5 apples and 6 oranges",19) == 8
    assert candidate("5 apples and 6 oranges",21) == 10
    assert candidate("0 apples and 1 oranges",3) == 2
    assert candidate("1 apples and 0 oranges",3) == 2
    assert candidate("2 apples and 3 oranges",100) == 95
    assert candidate("2 apples and 3 oranges",5) == 0
    assert candidate("1 apples and 100 oranges",120) == 19


def test_check():
    check(fruit_distribution)
