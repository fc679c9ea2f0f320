"""The order service: places orders, takes payments, handles cancellations and returns."""

from collections import Counter
from datetime import date, timedelta
from typing import Dict, Iterable, List, Tuple

from orders.order import Line, Order
from orders.states import OrderState

RETURN_WINDOW = timedelta(days=30)


class PaymentError(Exception):
    pass


class ReturnWindowClosed(Exception):
    pass


class OrderService:
    def __init__(self):
        self._orders: Dict[str, Order] = {}
        self._next_number = 1
        self.ledger: List[Tuple[str, str, int]] = []  # (order_id, kind, cents)

    def place(self, customer: str, lines: Iterable[Tuple[str, int, int]], on: date) -> str:
        order_id = f"ORD-{self._next_number:04d}"
        order = Order(order_id, customer, [Line(*line) for line in lines], on)
        self._orders[order_id] = order
        self._next_number += 1
        return order_id

    def get(self, order_id: str) -> Order:
        try:
            return self._orders[order_id]
        except KeyError:
            raise KeyError(f"no order {order_id}") from None

    def pay(self, order_id: str, amount_cents: int, on: date) -> None:
        order = self.get(order_id)
        if amount_cents != order.total_cents:
            raise PaymentError(
                f"{order_id} costs {order.total_cents} cents, got {amount_cents}"
            )
        order.apply("pay", on)
        self.ledger.append((order_id, "payment", amount_cents))

    def pack(self, order_id: str, on: date) -> None:
        self.get(order_id).apply("pack", on)

    def ship(self, order_id: str, on: date) -> None:
        self.get(order_id).apply("ship", on)

    def deliver(self, order_id: str, on: date) -> None:
        self.get(order_id).apply("deliver", on)

    def cancel(self, order_id: str, on: date) -> int:
        """Cancel the order; return the cents refunded (0 if it was never paid)."""
        order = self.get(order_id)
        was_paid = order.entered(OrderState.PAID) is not None
        order.apply("cancel", on)
        if not was_paid:
            return 0
        self.ledger.append((order_id, "refund", order.total_cents))
        return order.total_cents

    def request_return(self, order_id: str, on: date) -> None:
        order = self.get(order_id)
        delivered = order.entered(OrderState.DELIVERED)
        if delivered is not None and on - delivered > RETURN_WINDOW:
            raise ReturnWindowClosed(f"{order_id} was delivered on {delivered}")
        order.apply("return", on)

    def refund_return(self, order_id: str, on: date) -> int:
        order = self.get(order_id)
        order.apply("refund", on)
        self.ledger.append((order_id, "refund", order.total_cents))
        return order.total_cents

    def counts_by_state(self) -> Dict[str, int]:
        counts = Counter(order.state.value for order in self._orders.values())
        return dict(sorted(counts.items()))

    def net_revenue_cents(self) -> int:
        total = 0
        for _, kind, cents in self.ledger:
            total += cents if kind == "payment" else -cents
        return total

    def open_orders(self) -> List[str]:
        return [oid for oid, order in self._orders.items() if not order.closed]
