"""HumanEval/41: the problem's official check, run on solution.car_race_collision."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import car_race_collision

METADATA = {}


def check(candidate):
    assert candidate(2) == 4
    assert candidate(3) == 9
    assert candidate(4) == 16
    assert candidate(8) == 64
    assert candidate(10) == 100


def test_check():
    check(car_race_collision)
