"""Invoice lines: quantity times unit price, an optional discount, and VAT."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invoicing.money import ZERO, round_money

#: VAT rates by category.
VAT_RATES = {
    "standard": Decimal("0.20"),
    "reduced": Decimal("0.05"),
    "zero": Decimal("0"),
}


@dataclass(frozen=True)
class LineItem:
    """One line of an invoice.

    ``discount`` is a fraction of the gross amount (``Decimal("0.1")`` for
    10 % off).  All derived amounts are rounded to cents, each on its own:
    the net is rounded before VAT is applied to it.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: str = "standard"
    discount: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError("quantity must be positive")
        if self.unit_price < 0:
            raise ValueError("unit price must not be negative")
        if not Decimal("0") <= self.discount <= Decimal("1"):
            raise ValueError("discount must be between 0 and 1")
        if self.vat_category not in VAT_RATES:
            raise ValueError(f"unknown VAT category {self.vat_category!r}")

    @classmethod
    def of(cls, description: str, quantity: str, unit_price: str, vat: str = "standard", discount: str = "0") -> "LineItem":
        """Build a line from strings, as read from a form or a CSV file."""
        return cls(description, Decimal(quantity), Decimal(unit_price), vat, Decimal(discount))

    @property
    def vat_rate(self) -> Decimal:
        return VAT_RATES[self.vat_category]

    @property
    def gross(self) -> Decimal:
        """Quantity times unit price, rounded to cents."""
        return round_money(self.quantity * self.unit_price)

    @property
    def discount_amount(self) -> Decimal:
        if not self.discount:
            return ZERO
        return round_money(self.gross * self.discount)

    @property
    def net(self) -> Decimal:
        return self.gross - self.discount_amount

    @property
    def vat(self) -> Decimal:
        """VAT on this line alone, rounded to cents."""
        return round_money(self.net * self.vat_rate)

    @property
    def total(self) -> Decimal:
        return self.net + self.vat

    def describe(self) -> str:
        qty = self.quantity.normalize()
        return f"{self.description} x{qty:f} @ {self.unit_price}"
