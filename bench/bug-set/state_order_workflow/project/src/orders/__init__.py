"""Order lifecycle: states, orders and the service that drives them."""

from orders.order import Line, Order
from orders.service import OrderService, PaymentError, ReturnWindowClosed
from orders.states import InvalidTransition, OrderState

__all__ = [
    "InvalidTransition",
    "Line",
    "Order",
    "OrderService",
    "OrderState",
    "PaymentError",
    "ReturnWindowClosed",
]
