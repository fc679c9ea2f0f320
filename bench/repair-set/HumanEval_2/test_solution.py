"""HumanEval/2: the problem's official check, run on solution.truncate_number."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import truncate_number

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate(3.5) == 0.5
    assert abs(candidate(1.33) - 0.33) < 1e-6
    assert abs(candidate(123.456) - 0.456) < 1e-6


def test_check():
    check(truncate_number)
