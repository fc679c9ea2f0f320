"""Promotion rules.

*Line* rules discount individual cart lines; *order* rules (coupons) take an
amount off the whole order.  Unless a rule is marked ``stackable``,
promotions do not combine: a line gets only the best of its non-stackable
discounts, and an order only the best non-stackable coupon.  Stackable rules
always add on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from pricing import ZERO, Product, percent_of, to_cents


class LineLike(Protocol):
    product: Product
    quantity: int

    @property
    def subtotal(self) -> Decimal: ...


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str
    stackable: bool = False

    kind = "line"

    def line_discount(self, line: LineLike) -> Decimal:
        """Discount this rule gives ``line`` (zero when it does not apply)."""
        return ZERO


@dataclass(frozen=True, kw_only=True)
class PercentOff(Rule):
    """``percent`` % off every product of ``category`` or in ``skus``."""

    percent: Decimal
    category: str | None = None
    skus: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not 0 < self.percent <= 100:
            raise ValueError("percent must be in (0, 100]")
        if self.category is None and not self.skus:
            raise ValueError("say which products the discount is for")

    def applies_to(self, product: Product) -> bool:
        return product.sku in self.skus or product.category == self.category

    def line_discount(self, line: LineLike) -> Decimal:
        if not self.applies_to(line.product):
            return ZERO
        return percent_of(line.subtotal, self.percent)


@dataclass(frozen=True, kw_only=True)
class BuyXGetYFree(Rule):
    """For every ``buy + free`` units of ``sku``, ``free`` of them cost nothing."""

    sku: str
    buy: int
    free: int = 1

    def __post_init__(self) -> None:
        if self.buy < 1 or self.free < 1:
            raise ValueError("buy and free must be at least 1")

    def line_discount(self, line: LineLike) -> Decimal:
        if line.product.sku != self.sku:
            return ZERO
        groups = line.quantity // (self.buy + self.free)
        return to_cents(groups * self.free * line.product.price)


@dataclass(frozen=True, kw_only=True)
class SpendThreshold(Rule):
    """Coupon: ``amount_off`` when the discounted subtotal is at least ``threshold``."""

    threshold: Decimal
    amount_off: Decimal

    kind = "order"

    def __post_init__(self) -> None:
        if self.amount_off <= 0:
            raise ValueError("amount_off must be positive")

    def order_discount(self, subtotal: Decimal) -> Decimal:
        if subtotal < self.threshold:
            return ZERO
        return min(self.amount_off, subtotal)


def best(candidates: list[tuple[Decimal, str]]) -> tuple[Decimal, str] | None:
    """The largest positive discount; the first listed wins a tie."""
    winner = None
    for amount, name in candidates:
        if amount > 0 and (winner is None or amount > winner[0]):
            winner = (amount, name)
    return winner
