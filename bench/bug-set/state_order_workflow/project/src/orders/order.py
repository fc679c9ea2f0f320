"""An order and its history of state changes."""

from dataclasses import dataclass, field
from datetime import date
from typing import List, Optional, Tuple

from orders.states import EVENTS, OrderState, allowed_events, check_transition, is_terminal


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price_cents: int

    def __post_init__(self):
        if self.quantity <= 0:
            raise ValueError(f"quantity must be positive for {self.sku}")
        if self.unit_price_cents < 0:
            raise ValueError(f"price cannot be negative for {self.sku}")

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass
class Order:
    order_id: str
    customer: str
    lines: List[Line]
    placed_on: date
    state: OrderState = OrderState.PENDING
    history: List[Tuple[OrderState, date]] = field(default_factory=list)

    def __post_init__(self):
        if not self.lines:
            raise ValueError("an order needs at least one line")
        if not self.history:
            self.history.append((self.state, self.placed_on))

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    def apply(self, event: str, on: date) -> OrderState:
        """Move the order by event name (``"pay"``, ``"ship"``...)."""
        try:
            target = EVENTS[event]
        except KeyError:
            raise ValueError(f"unknown event {event!r}") from None
        return self.transition(target, on)

    def transition(self, target: OrderState, on: date) -> OrderState:
        check_transition(self.state, target)
        if on < self.history[-1][1]:
            raise ValueError("state changes must be in date order")
        self.state = target
        self.history.append((target, on))
        return target

    def entered(self, state: OrderState) -> Optional[date]:
        """The date the order (last) entered ``state``, or ``None``."""
        for past, when in reversed(self.history):
            if past is state:
                return when
        return None

    def next_events(self) -> List[str]:
        return allowed_events(self.state)

    @property
    def closed(self) -> bool:
        return is_terminal(self.state)
