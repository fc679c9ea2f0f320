import pytest

from coins import InvalidCoin, add_coins, make_change, remove_coins, total

PLENTY = {200: 5, 100: 5, 50: 5, 20: 5, 10: 5, 5: 5}


@pytest.mark.parametrize(
    "amount, expected",
    [
        (0, {}),
        (5, {5: 1}),
        (35, {20: 1, 10: 1, 5: 1}),
        (180, {100: 1, 50: 1, 20: 1, 10: 1}),
        (400, {200: 2}),
    ],
)
def test_change_with_plenty_of_coins(amount, expected):
    assert make_change(amount, PLENTY) == expected


def test_change_respects_stock():
    assert make_change(40, {20: 1, 10: 5}) == {20: 1, 10: 2}


def test_change_finds_non_greedy_answer():
    assert make_change(60, {50: 1, 20: 3}) == {20: 3}


def test_change_impossible():
    assert make_change(15, {10: 3}) is None
    assert make_change(5, {}) is None


def test_negative_amount_rejected():
    with pytest.raises(ValueError):
        make_change(-5, PLENTY)


def test_add_and_remove_coins():
    stock = add_coins({50: 1}, [50, 20, 20])
    assert stock == {50: 2, 20: 2}
    assert remove_coins(stock, {20: 2}) == {50: 2}
    with pytest.raises(ValueError):
        remove_coins(stock, {100: 1})


def test_add_rejects_foreign_coin():
    with pytest.raises(InvalidCoin):
        add_coins({}, [25])


def test_total():
    assert total({200: 1, 5: 3}) == 215
