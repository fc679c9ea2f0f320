"""The order state machine.

::

    PENDING -> PAID -> PACKED -> SHIPPED -> DELIVERED -> RETURNED -> REFUNDED
       |         |        |
       +---------+--------+--> CANCELLED

An order can be cancelled until it leaves the warehouse; after that the only
way back is a return.
"""

from enum import Enum
from typing import Dict, FrozenSet, List


class OrderState(Enum):
    PENDING = "pending"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    REFUNDED = "refunded"


class InvalidTransition(Exception):
    def __init__(self, src: OrderState, dst: OrderState):
        super().__init__(f"cannot go from {src.value} to {dst.value}")
        self.src = src
        self.dst = dst


S = OrderState

TRANSITIONS: Dict[OrderState, FrozenSet[OrderState]] = {
    S.PENDING: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

# The event name a caller uses for each target state.
EVENTS: Dict[str, OrderState] = {
    "pay": S.PAID,
    "pack": S.PACKED,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
    "cancel": S.CANCELLED,
    "return": S.RETURNED,
    "refund": S.REFUNDED,
}


def can_transition(src: OrderState, dst: OrderState) -> bool:
    return dst in TRANSITIONS[src]


def check_transition(src: OrderState, dst: OrderState) -> None:
    if not can_transition(src, dst):
        raise InvalidTransition(src, dst)


def is_terminal(state: OrderState) -> bool:
    return not TRANSITIONS[state]


def allowed_events(state: OrderState) -> List[str]:
    """Event names that are valid in ``state``, sorted alphabetically."""
    return sorted(name for name, dst in EVENTS.items() if can_transition(state, dst))
