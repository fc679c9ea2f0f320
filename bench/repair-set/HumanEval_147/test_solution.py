"""HumanEval/147: the problem's official check, run on solution.get_max_triples."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import get_max_triples

def check(candidate):

    assert candidate(5) == 1
    assert candidate(6) == 4
    assert candidate(10) == 36
    assert candidate(100) == 53361


def test_check():
    check(get_max_triples)
