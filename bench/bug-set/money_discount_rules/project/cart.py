"""Shopping cart and checkout with promotion rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pricing import ZERO, Catalog, Product, format_price
from rules import Rule, best


@dataclass
class Line:
    product: Product
    quantity: int

    @property
    def subtotal(self) -> Decimal:
        return self.product.price * self.quantity


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    quantity: int
    subtotal: Decimal
    discount: Decimal
    promotions: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount


@dataclass(frozen=True)
class Receipt:
    lines: tuple[ReceiptLine, ...]
    coupons: tuple[tuple[str, Decimal], ...] = field(default=())

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal - sum((amount for _, amount in self.coupons), ZERO)

    @property
    def savings(self) -> Decimal:
        return sum((line.discount for line in self.lines), ZERO) + sum((a for _, a in self.coupons), ZERO)

    def render(self) -> str:
        out = []
        for line in self.lines:
            out.append(f"{line.sku} x{line.quantity}  {format_price(line.subtotal)}")
            if line.discount:
                out.append(f"  {', '.join(line.promotions)}  {format_price(-line.discount)}")
        for name, amount in self.coupons:
            out.append(f"{name}  {format_price(-amount)}")
        out.append(f"TOTAL  {format_price(self.total)}")
        return "\n".join(out)


class Cart:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.lines: list[Line] = []

    def add(self, sku: str, quantity: int = 1) -> None:
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        product = self.catalog.get(sku)
        for line in self.lines:
            if line.product.sku == sku:
                line.quantity += quantity
                return
        self.lines.append(Line(product, quantity))

    def remove(self, sku: str, quantity: int = 1) -> None:
        for line in self.lines:
            if line.product.sku == sku:
                if quantity >= line.quantity:
                    self.lines.remove(line)
                else:
                    line.quantity -= quantity
                return
        raise KeyError(f"{sku!r} is not in the cart")

    def checkout(self, rules: list[Rule]) -> Receipt:
        line_rules = [r for r in rules if r.kind == "line"]
        order_rules = [r for r in rules if r.kind == "order"]
        receipt_lines = []
        for line in self.lines:
            discount, names = _apply(
                [(r.line_discount(line), r.name, r.stackable) for r in line_rules],
                line.subtotal,
            )
            receipt_lines.append(ReceiptLine(line.product.sku, line.quantity, line.subtotal, discount, names))
        subtotal = sum((rl.total for rl in receipt_lines), ZERO)
        coupons = []
        remaining = subtotal
        offers = [(r.order_discount(subtotal), r.name, r.stackable) for r in order_rules]
        for name, amount in _split(offers):
            amount = min(amount, remaining)
            if amount > 0:
                coupons.append((name, amount))
                remaining -= amount
        return Receipt(tuple(receipt_lines), tuple(coupons))


def _split(offers: list[tuple[Decimal, str, bool]]) -> list[tuple[str, Decimal]]:
    """The offers that apply: the best exclusive one, then every stackable one."""
    exclusive = best([(amount, name) for amount, name, stackable in offers if not stackable])
    chosen = [(exclusive[1], exclusive[0])] if exclusive else []
    chosen += [(name, amount) for amount, name, stackable in offers if stackable and amount > 0]
    return chosen


def _apply(offers: list[tuple[Decimal, str, bool]], cap: Decimal) -> tuple[Decimal, tuple[str, ...]]:
    """Total discount of the chosen offers, never more than ``cap``."""
    chosen = _split(offers)
    total = min(sum((amount for _, amount in chosen), ZERO), cap)
    return total, tuple(name for name, _ in chosen)
