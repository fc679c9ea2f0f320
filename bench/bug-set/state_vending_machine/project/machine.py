"""The vending machine state machine.

Inserted coins wait in escrow until a sale or a cancel. On a sale they drop
into the coin box first, so the change may be paid with coins the customer
just inserted; on a cancel the very same coins are handed back.
"""

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Dict, List

from coins import add_coins, check_coin, make_change, remove_coins, total
from inventory import Inventory


class State(Enum):
    IDLE = "idle"
    HAS_CREDIT = "has_credit"
    MAINTENANCE = "maintenance"


class MachineError(Exception):
    pass


class InsufficientCredit(MachineError):
    def __init__(self, missing: int):
        super().__init__(f"insert {missing} more cents")
        self.missing = missing


class ExactChangeOnly(MachineError):
    pass


@dataclass
class Vend:
    product: str
    change: Dict[int, int]


class VendingMachine:
    def __init__(self, inventory: Inventory, float_coins: Dict[int, int] = None):
        self.inventory = inventory
        self.coins = Counter(float_coins or {})
        self.state = State.IDLE
        self._escrow: List[int] = []
        self.sales: List[tuple] = []

    @property
    def credit(self) -> int:
        return sum(self._escrow)

    def insert(self, coin: int) -> int:
        """Accept a coin; return the credit so far."""
        if self.state is State.MAINTENANCE:
            raise MachineError("out of service")
        self._escrow.append(check_coin(coin))
        self.state = State.HAS_CREDIT
        return self.credit

    def cancel(self) -> List[int]:
        """Give back the coins in escrow, exactly as inserted."""
        returned, self._escrow = self._escrow, []
        if self.state is State.HAS_CREDIT:
            self.state = State.IDLE
        return returned

    def select(self, code: str) -> Vend:
        if self.state is State.MAINTENANCE:
            raise MachineError("out of service")
        slot = self.inventory.check_available(code)
        if self.credit < slot.price:
            raise InsufficientCredit(slot.price - self.credit)
        box = add_coins(self.coins, self._escrow)
        change = make_change(self.credit - slot.price, box)
        if change is None:
            raise ExactChangeOnly(f"cannot return {self.credit - slot.price} cents")
        product = self.inventory.take(code)
        self.coins = remove_coins(box, change)
        self.sales.append((code, slot.price))
        self._escrow = []
        self.state = State.IDLE
        return Vend(product, change)

    def enter_maintenance(self) -> List[int]:
        """Switch to maintenance; any pending credit is returned first."""
        returned = self.cancel()
        self.state = State.MAINTENANCE
        return returned

    def exit_maintenance(self) -> None:
        if self.state is not State.MAINTENANCE:
            raise MachineError("not in maintenance")
        self.state = State.IDLE

    def collect_cash(self, keep: Dict[int, int]) -> int:
        """Empty the coin box down to ``keep``; return the cents collected."""
        if self.state is not State.MAINTENANCE:
            raise MachineError("collect cash in maintenance mode only")
        target = Counter({v: min(c, keep.get(v, 0)) for v, c in self.coins.items()})
        collected = total(self.coins) - total(target)
        self.coins = +target
        return collected

    def revenue(self) -> int:
        return sum(price for _, price in self.sales)
