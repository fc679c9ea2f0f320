import pytest

from coins import InvalidCoin, total
from inventory import Inventory, Slot, SoldOut, UnknownSlot
from machine import ExactChangeOnly, InsufficientCredit, MachineError, State, VendingMachine


def machine(float_coins=None, quantity=5):
    inventory = Inventory(
        [
            Slot("A1", "water", 120, quantity),
            Slot("A2", "cola", 150, quantity),
            Slot("B1", "crisps", 95, quantity),
        ]
    )
    return VendingMachine(inventory, float_coins)


def test_exact_payment():
    m = machine()
    m.insert(100)
    m.insert(20)
    vend = m.select("A1")
    assert vend.product == "water"
    assert vend.change == {}
    assert m.state is State.IDLE
    assert m.coins == {100: 1, 20: 1}


def test_change_from_float():
    m = machine({50: 1, 20: 2, 10: 2})
    m.insert(200)
    vend = m.select("A1")
    assert vend.change == {50: 1, 20: 1, 10: 1}
    assert m.coins == {200: 1, 20: 1, 10: 1}


def test_change_paid_with_coins_just_inserted():
    m = machine()
    for coin in (50, 50, 100):
        m.insert(coin)
    vend = m.select("A2")
    assert vend.change == {50: 1}
    assert m.coins == {100: 1, 50: 1}


def test_change_mixes_float_and_inserted_coins():
    m = machine({10: 1})
    for coin in (100, 20, 20):
        m.insert(coin)
    vend = m.select("A1")
    assert vend.change == {20: 1}
    assert m.coins == {100: 1, 20: 1, 10: 1}


def test_next_customer_is_paid_from_previous_customers_coins():
    m = machine()
    for coin in (50, 20, 20, 5):
        m.insert(coin)
    m.select("B1")
    m.insert(100)
    assert m.select("B1").change == {5: 1}
    assert m.coins == {100: 1, 50: 1, 20: 2}


def test_exact_change_only_keeps_credit_and_stock():
    m = machine()
    m.insert(200)
    with pytest.raises(ExactChangeOnly):
        m.select("A1")
    assert m.credit == 200
    assert m.state is State.HAS_CREDIT
    assert m.inventory.slot("A1").quantity == 5
    assert m.cancel() == [200]
    assert m.coins == {}


def test_insufficient_credit_reports_missing_amount():
    m = machine()
    m.insert(100)
    with pytest.raises(InsufficientCredit) as info:
        m.select("A2")
    assert info.value.missing == 50
    assert m.state is State.HAS_CREDIT


def test_sold_out_keeps_credit():
    m = machine(quantity=0)
    m.insert(200)
    with pytest.raises(SoldOut):
        m.select("A2")
    assert m.credit == 200


def test_unknown_slot():
    m = machine()
    m.insert(200)
    with pytest.raises(UnknownSlot):
        m.select("Z9")


def test_foreign_coin_rejected():
    m = machine()
    m.insert(50)
    with pytest.raises(InvalidCoin):
        m.insert(25)
    assert m.credit == 50


def test_cancel_returns_the_inserted_coins():
    m = machine({100: 2})
    for coin in (20, 100, 5):
        m.insert(coin)
    assert m.cancel() == [20, 100, 5]
    assert m.state is State.IDLE
    assert m.coins == {100: 2}
    assert m.cancel() == []


def test_maintenance_returns_credit_and_blocks_sales():
    m = machine()
    m.insert(50)
    assert m.enter_maintenance() == [50]
    with pytest.raises(MachineError):
        m.insert(50)
    with pytest.raises(MachineError):
        m.select("A1")
    m.exit_maintenance()
    assert m.state is State.IDLE
    with pytest.raises(MachineError):
        m.exit_maintenance()


def test_collect_cash_leaves_the_float():
    m = machine({100: 3, 20: 5, 5: 1})
    with pytest.raises(MachineError):
        m.collect_cash(keep={20: 5})
    m.enter_maintenance()
    assert m.collect_cash(keep={20: 5, 5: 4}) == 300
    assert m.coins == {20: 5, 5: 1}


def test_day_of_sales():
    m = machine({50: 2, 5: 4})
    m.insert(100)
    assert m.select("B1").change == {5: 1}
    m.insert(200)
    assert m.select("A2").change == {50: 1}
    m.insert(100)
    m.insert(20)
    assert m.select("A1").change == {}
    assert m.revenue() == 365
    assert total(m.coins) == 120 + 365
    assert m.inventory.low_stock(threshold=4) == ["A1", "A2", "B1"]


def test_restock_fills_to_capacity():
    m = machine(quantity=3)
    assert m.inventory.restock("A1") == 7
    assert m.inventory.low_stock(threshold=3) == ["A2", "B1"]


@pytest.mark.parametrize("price, quantity", [(0, 1), (97, 1), (100, 11)])
def test_invalid_slot(price, quantity):
    with pytest.raises(ValueError):
        Slot("C1", "gum", price, quantity)
