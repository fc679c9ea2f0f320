import pytest

from calc import clamp, mean, percent, range_sum


def test_range_sum_includes_both_ends():
    assert range_sum(1, 3) == 6


def test_range_sum_of_a_single_number():
    assert range_sum(5, 5) == 5


def test_mean():
    assert mean([1, 2, 3, 6]) == 3


def test_mean_of_floats():
    assert mean([0.5, 1.5]) == pytest.approx(1.0)


def test_clamp():
    assert clamp(15, 0, 10) == 10
    assert clamp(-3, 0, 10) == 0
    assert clamp(4, 0, 10) == 4


def test_percent():
    assert percent(1, 3) == 33.3
