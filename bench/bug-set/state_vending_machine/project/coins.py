"""Coin handling for the vending machine. All amounts are in cents."""

from collections import Counter
from typing import Dict, Iterable, Mapping, Optional

DENOMINATIONS = (200, 100, 50, 20, 10, 5)


class InvalidCoin(ValueError):
    pass


def check_coin(value: int) -> int:
    if value not in DENOMINATIONS:
        raise InvalidCoin(f"{value} is not an accepted coin")
    return value


def total(coins: Mapping[int, int]) -> int:
    return sum(value * count for value, count in coins.items())


def add_coins(stock: Mapping[int, int], coins: Iterable[int]) -> Counter:
    """A new stock with ``coins`` (a sequence of coin values) added."""
    result = Counter(stock)
    for coin in coins:
        result[check_coin(coin)] += 1
    return result


def remove_coins(stock: Mapping[int, int], coins: Mapping[int, int]) -> Counter:
    """A new stock with ``coins`` (value -> count) taken out."""
    result = Counter(stock)
    for value, count in coins.items():
        if result[value] < count:
            raise ValueError(f"only {result[value]} coins of {value} in stock")
        result[value] -= count
    return +result


def make_change(amount: int, stock: Mapping[int, int]) -> Optional[Dict[int, int]]:
    """Pay out ``amount`` from ``stock`` with as few coins as possible.

    Returns value -> count (largest coins first), ``{}`` for zero, or ``None``
    when the stock cannot make the amount. Searches depth first, largest coin
    first, so it also finds answers a plain greedy pass would miss (60 from
    one 50 and three 20s).
    """
    if amount < 0:
        raise ValueError("amount cannot be negative")
    values = sorted((v for v in stock if stock[v] > 0), reverse=True)
    best: Optional[Dict[int, int]] = None

    def search(index: int, remaining: int, used: Dict[int, int]) -> None:
        nonlocal best
        if best is not None and sum(used.values()) >= sum(best.values()):
            return
        if remaining == 0:
            best = dict(used)
            return
        if index == len(values):
            return
        value = values[index]
        most = min(remaining // value, stock[value])
        for count in range(most, -1, -1):
            if count:
                used[value] = count
            search(index + 1, remaining - count * value, used)
            used.pop(value, None)

    search(0, amount, {})
    return best
