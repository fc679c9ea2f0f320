"""Products, the catalogue and price arithmetic in exact decimals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_price(text: str) -> Decimal:
    """``"12.5"`` -> ``Decimal("12.50")``; rejects negatives and sub-cent prices."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a price: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a price: {text!r}")
    if value != to_cents(value):
        raise ValueError(f"price {text!r} has fractions of a cent")
    return to_cents(value)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``amount``, rounded to cents."""
    return to_cents(amount * percent / 100)


def format_price(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(to_cents(amount)):,.2f}"


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Decimal
    category: str

    def __post_init__(self) -> None:
        if self.price < 0:
            raise ValueError(f"{self.sku}: negative price")
        if not self.sku:
            raise ValueError("a product needs a SKU")


class Catalog:
    """Products by SKU."""

    def __init__(self, products: list[Product] | None = None) -> None:
        self._products: dict[str, Product] = {}
        for product in products or []:
            self.add(product)

    def add(self, product: Product) -> None:
        if product.sku in self._products:
            raise ValueError(f"duplicate SKU {product.sku}")
        self._products[product.sku] = product

    def get(self, sku: str) -> Product:
        try:
            return self._products[sku]
        except KeyError:
            raise KeyError(f"unknown SKU {sku!r}") from None

    def __contains__(self, sku: str) -> bool:
        return sku in self._products

    def in_category(self, category: str) -> list[Product]:
        return sorted((p for p in self._products.values() if p.category == category), key=lambda p: p.sku)

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str, str, str]]) -> "Catalog":
        """Build from ``(sku, name, price, category)`` text rows, as read from CSV."""
        return cls([Product(sku, name, parse_price(price), category) for sku, name, price, category in rows])
