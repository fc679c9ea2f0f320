"""Physical stock on hand, with a log of every movement."""

from collections import defaultdict
from typing import DefaultDict, List, Tuple


class StockError(ValueError):
    pass


class StockLedger:
    def __init__(self):
        self._on_hand: DefaultDict[str, int] = defaultdict(int)
        self.movements: List[Tuple[str, int, str]] = []  # (sku, delta, reason)

    def on_hand(self, sku: str) -> int:
        return self._on_hand.get(sku, 0)

    def receive(self, sku: str, quantity: int) -> int:
        """Book incoming goods; return the new quantity on hand."""
        self._check_quantity(quantity)
        return self._move(sku, quantity, "receive")

    def ship(self, sku: str, quantity: int) -> int:
        self._check_quantity(quantity)
        if self.on_hand(sku) < quantity:
            raise StockError(f"cannot ship {quantity} {sku}: only {self.on_hand(sku)} on hand")
        return self._move(sku, -quantity, "ship")

    def count(self, sku: str, counted: int) -> int:
        """Record a stock count; book the difference and return it."""
        if counted < 0:
            raise StockError("a count cannot be negative")
        delta = counted - self.on_hand(sku)
        if delta:
            self._move(sku, delta, "count")
        return delta

    def write_off(self, sku: str, quantity: int, reason: str = "damaged") -> int:
        """Remove damaged or lost units; return the new quantity on hand."""
        self._check_quantity(quantity)
        if self.on_hand(sku) < quantity:
            raise StockError(f"cannot write off {quantity} {sku}: only {self.on_hand(sku)} on hand")
        return self._move(sku, -quantity, f"write-off: {reason}")

    def total_units(self) -> int:
        return sum(qty for qty in self._on_hand.values() if qty > 0)

    def skus(self) -> List[str]:
        return sorted(sku for sku, qty in self._on_hand.items() if qty > 0)

    def history(self, sku: str) -> List[Tuple[int, str]]:
        return [(delta, reason) for s, delta, reason in self.movements if s == sku]

    def _move(self, sku: str, delta: int, reason: str) -> int:
        self._on_hand[sku] += delta
        self.movements.append((sku, delta, reason))
        return self._on_hand[sku]

    @staticmethod
    def _check_quantity(quantity: int) -> None:
        if not isinstance(quantity, int) or quantity <= 0:
            raise StockError(f"quantity must be a positive integer, got {quantity!r}")
