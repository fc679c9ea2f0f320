"""Time-limited holds on stock.

A reservation holds units of one SKU for one order until ``expires_at``.
Stock is *available* when it is on hand and not held by a live reservation;
a reservation is live while ``now < expires_at``.
"""

from dataclasses import dataclass
from typing import Dict, List, Tuple

from inventory.stock import StockLedger


class InsufficientStock(Exception):
    def __init__(self, sku: str, wanted: int, available: int):
        super().__init__(f"wanted {wanted} {sku}, {available} available")
        self.sku = sku
        self.wanted = wanted
        self.available = available


@dataclass
class Reservation:
    order_id: str
    sku: str
    quantity: int
    expires_at: float

    def live(self, now: float) -> bool:
        return now < self.expires_at


class ReservationBook:
    def __init__(self, ledger: StockLedger):
        self._ledger = ledger
        self._holds: Dict[Tuple[str, str], Reservation] = {}

    def reserved(self, sku: str, now: float) -> int:
        return sum(r.quantity for r in self._holds.values() if r.sku == sku and r.live(now))

    def available(self, sku: str, now: float) -> int:
        return max(0, self._ledger.on_hand(sku) - self.reserved(sku, now))

    def reserve(self, order_id: str, sku: str, quantity: int, now: float, hold: float) -> Reservation:
        """Hold ``quantity`` of ``sku`` for ``order_id`` for ``hold`` seconds.

        Reserving again for the same order and SKU adds to the existing hold
        and restarts its timer.
        """
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._ensure_available(sku, quantity, now)
        key = (order_id, sku)
        existing = self._holds.get(key)
        if existing is not None and existing.live(now):
            existing.quantity += quantity
            existing.expires_at = now + hold
            return existing
        reservation = Reservation(order_id, sku, quantity, now + hold)
        self._holds[key] = reservation
        return reservation

    def for_order(self, order_id: str) -> List[Reservation]:
        return [r for (oid, _), r in sorted(self._holds.items()) if oid == order_id]

    def release(self, order_id: str) -> List[Reservation]:
        """Drop every hold of ``order_id`` (live or not) and return them."""
        released = self.for_order(order_id)
        for reservation in released:
            del self._holds[(order_id, reservation.sku)]
        return released

    def expire(self, now: float) -> List[Reservation]:
        """Drop holds that are no longer live; return them sorted by order id."""
        expired = [r for r in self._holds.values() if not r.live(now)]
        for reservation in expired:
            del self._holds[(reservation.order_id, reservation.sku)]
        return sorted(expired, key=lambda r: (r.order_id, r.sku))

    def _ensure_available(self, sku: str, quantity: int, now: float) -> None:
        available = self.available(sku, now)
        if quantity > available:
            raise InsufficientStock(sku, quantity, available)
