"""Product slots of the vending machine."""

from dataclasses import dataclass
from typing import Dict, List


class UnknownSlot(KeyError):
    pass


class SoldOut(Exception):
    pass


@dataclass
class Slot:
    code: str
    product: str
    price: int
    quantity: int
    capacity: int = 10

    def __post_init__(self):
        if self.price <= 0 or self.price % 5:
            raise ValueError(f"price of {self.code} must be a positive multiple of 5")
        if not 0 <= self.quantity <= self.capacity:
            raise ValueError(f"quantity of {self.code} must be within 0..{self.capacity}")


class Inventory:
    def __init__(self, slots: List[Slot] = ()):
        self._slots: Dict[str, Slot] = {}
        for slot in slots:
            self.add(slot)

    def add(self, slot: Slot) -> None:
        if slot.code in self._slots:
            raise ValueError(f"slot {slot.code} already exists")
        self._slots[slot.code] = slot

    def slot(self, code: str) -> Slot:
        try:
            return self._slots[code]
        except KeyError:
            raise UnknownSlot(code) from None

    def check_available(self, code: str) -> Slot:
        slot = self.slot(code)
        if slot.quantity == 0:
            raise SoldOut(f"{slot.product} ({code}) is sold out")
        return slot

    def take(self, code: str) -> str:
        slot = self.check_available(code)
        slot.quantity -= 1
        return slot.product

    def restock(self, code: str) -> int:
        """Fill the slot to capacity; return how many items were added."""
        slot = self.slot(code)
        added = slot.capacity - slot.quantity
        slot.quantity = slot.capacity
        return added

    def low_stock(self, threshold: int = 2) -> List[str]:
        return sorted(c for c, s in self._slots.items() if s.quantity <= threshold)
