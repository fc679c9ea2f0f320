"""Reserve stock for orders when they are placed and ship it later."""

from typing import Dict, List, Mapping

from inventory.reservations import InsufficientStock, ReservationBook
from inventory.stock import StockLedger


class UnknownOrder(KeyError):
    pass


class ReservationExpired(Exception):
    pass


class Fulfillment:
    def __init__(self, ledger: StockLedger, hold_seconds: float = 900):
        self.ledger = ledger
        self.book = ReservationBook(ledger)
        self.hold_seconds = hold_seconds
        self._orders: Dict[str, Dict[str, int]] = {}
        self.shipped: List[str] = []

    def place(self, order_id: str, lines: Mapping[str, int], now: float) -> None:
        """Reserve every line of the order, or none of them.

        Raises :class:`InsufficientStock` for the first line that cannot be
        held; holds already taken for earlier lines are released.
        """
        if order_id in self._orders:
            raise ValueError(f"order {order_id} already placed")
        try:
            for sku, quantity in lines.items():
                self.book.reserve(order_id, sku, quantity, now, self.hold_seconds)
        except InsufficientStock:
            self.book.release(order_id)
            raise
        self._orders[order_id] = dict(lines)

    def ship(self, order_id: str, now: float) -> Dict[str, int]:
        """Ship a placed order from its holds; every hold must still be live."""
        lines = self._lines(order_id)
        holds = self.book.for_order(order_id)
        if len(holds) != len(lines) or not all(h.live(now) for h in holds):
            raise ReservationExpired(f"holds for {order_id} have lapsed")
        for hold in holds:
            self.ledger.ship(hold.sku, hold.quantity)
        self.book.release(order_id)
        del self._orders[order_id]
        self.shipped.append(order_id)
        return lines

    def cancel(self, order_id: str) -> None:
        self._lines(order_id)
        self.book.release(order_id)
        del self._orders[order_id]

    def sweep(self, now: float) -> List[str]:
        """Cancel orders whose holds lapsed; return their ids, sorted."""
        lapsed = sorted({r.order_id for r in self.book.expire(now)})
        for order_id in lapsed:
            self.book.release(order_id)
            self._orders.pop(order_id, None)
        return lapsed

    def shortfall(self, lines: Mapping[str, int], now: float) -> Dict[str, int]:
        """How many units of each SKU are missing to place ``lines`` now."""
        missing = {}
        for sku, quantity in lines.items():
            gap = quantity - self.book.available(sku, now)
            if gap > 0:
                missing[sku] = gap
        return missing

    def _lines(self, order_id: str) -> Dict[str, int]:
        try:
            return self._orders[order_id]
        except KeyError:
            raise UnknownOrder(order_id) from None
