"""HumanEval/39: the problem's official check, run on solution.prime_fib."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import prime_fib

METADATA = {}


def check(candidate):
    assert candidate(1) == 2
    assert candidate(2) == 3
    assert candidate(3) == 5
    assert candidate(4) == 13
    assert candidate(5) == 89
    assert candidate(6) == 233
    assert candidate(7) == 1597
    assert candidate(8) == 28657
    assert candidate(9) == 514229
    assert candidate(10) == 433494437


def test_check():
    check(prime_fib)
