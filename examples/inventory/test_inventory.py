import pytest

from inventory import Inventory, low_stock


def test_added_items_are_in_stock():
    shop = Inventory()
    shop.add("apple", 5, 0.5)
    shop.add("apple", 3, 0.5)
    assert shop.quantity("apple") == 8
    assert shop.quantity("pear") == 0


def test_remove_takes_items_out_of_stock():
    shop = Inventory()
    shop.add("apple", 5, 0.5)
    shop.remove("apple", 2)
    assert shop.quantity("apple") == 3


def test_removing_more_than_in_stock_raises_and_changes_nothing():
    shop = Inventory()
    shop.add("apple", 2, 0.5)
    with pytest.raises(ValueError):
        shop.remove("apple", 3)
    with pytest.raises(ValueError):
        shop.remove("pear", 1)
    assert shop.quantity("apple") == 2


def test_total_value():
    shop = Inventory()
    shop.add("apple", 4, 0.5)
    shop.add("pear", 2, 1.25)
    assert shop.total_value() == pytest.approx(4.5)
    assert Inventory().total_value() == 0


def test_low_stock_lists_items_below_the_threshold_by_name():
    shop = Inventory()
    shop.add("pear", 1, 1.0)
    shop.add("apple", 10, 0.5)
    shop.add("fig", 2, 2.0)
    assert low_stock(shop, 3) == ["fig", "pear"]
