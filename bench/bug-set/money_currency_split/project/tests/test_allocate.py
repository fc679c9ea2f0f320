from decimal import Decimal

import pytest

from allocate import allocate, allocate_amount, split_amount, split_evenly


def test_split_evenly_gives_leftover_to_the_first():
    assert split_evenly(100, 3) == [34, 33, 33]


def test_refunds_split_like_payments():
    assert split_evenly(-100, 3) == [-34, -33, -33]


def test_allocate_by_decimal_ratios():
    assert allocate(1000, [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")]) == [500, 300, 200]


def test_leftover_goes_to_largest_remainder():
    assert allocate(10, [3, 3, 1]) == [4, 4, 2]


def test_zero_weight_gets_nothing():
    assert allocate(7, [1, 2, 4, 0]) == [1, 2, 4, 0]


@pytest.mark.parametrize("total, weights", [(1, [1, 1, 1]), (99999, [7, 11, 13]), (-5, [2, 1])])
def test_parts_always_add_up(total, weights):
    assert sum(allocate(total, weights)) == total


@pytest.mark.parametrize("weights", [[], [1, -1], [0, 0]])
def test_bad_weights(weights):
    with pytest.raises(ValueError):
        allocate(100, weights)


def test_split_into_no_parts():
    with pytest.raises(ValueError):
        split_evenly(100, 0)


def test_split_amount_in_yen():
    assert split_amount(Decimal("1000"), "JPY", 3) == [Decimal("334"), Decimal("333"), Decimal("333")]


def test_allocate_amount_in_dinar():
    assert allocate_amount(Decimal("1.000"), "KWD", [1, 2]) == [Decimal("0.333"), Decimal("0.667")]
