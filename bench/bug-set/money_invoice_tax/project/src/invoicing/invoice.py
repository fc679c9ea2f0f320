"""Invoices: totals, VAT breakdown and a plain-text rendering.

Two VAT rounding methods are supported, as tax rules allow either:

* ``"line"``: VAT is rounded on every line and the rounded amounts summed;
* ``"rate"``: nets are summed per VAT rate and VAT is rounded once per rate.

The methods can differ by a few cents on invoices with many lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from invoicing.lines import LineItem
from invoicing.money import ZERO, format_amount, percent, round_money, sum_money

METHODS = ("line", "rate")


@dataclass
class Invoice:
    number: str
    issued: date
    currency: str = "EUR"
    method: str = "line"
    lines: list[LineItem] = field(default_factory=list)
    #: -1 for a credit note: amounts are shown negated.
    sign: int = 1

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"VAT method must be one of {METHODS}")

    def add(self, line: LineItem) -> "Invoice":
        self.lines.append(line)
        return self

    @property
    def subtotal(self) -> Decimal:
        """Sum of the line nets (after discounts, before VAT)."""
        return sum_money(line.net for line in self.lines)

    def vat_breakdown(self) -> dict[Decimal, tuple[Decimal, Decimal]]:
        """``{rate: (net, vat)}`` by VAT rate, highest rate first."""
        nets: dict[Decimal, Decimal] = {}
        vats: dict[Decimal, Decimal] = {}
        for line in self.lines:
            nets[line.vat_rate] = nets.get(line.vat_rate, ZERO) + line.net
            vats[line.vat_rate] = vats.get(line.vat_rate, ZERO) + line.vat
        if self.method == "rate":
            vats = {rate: round_money(net * rate) for rate, net in nets.items()}
        return {rate: (nets[rate], vats[rate]) for rate in sorted(nets, reverse=True)}

    @property
    def vat_total(self) -> Decimal:
        return sum_money(vat for _net, vat in self.vat_breakdown().values())

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.vat_total

    @property
    def discount_total(self) -> Decimal:
        return sum_money(line.discount_amount for line in self.lines)

    def credit_note(self, number: str, issued: date) -> "Invoice":
        """A credit note cancelling this invoice: same lines, negative totals.

        Lines keep their positive quantities; the note shows negated amounts
        (see :attr:`sign`).
        """
        return Invoice(number, issued, self.currency, self.method, list(self.lines), sign=-1)

    @property
    def amount_due(self) -> Decimal:
        """What the customer pays (negative for a credit note)."""
        return self.sign * self.total

    def render(self) -> str:
        """Human-readable invoice text."""
        money = lambda amount: format_amount(self.sign * amount, self.currency)  # noqa: E731
        out = [f"Invoice {self.number} ({self.issued:%d %b %Y})"]
        for line in self.lines:
            out.append(f"  {line.describe():<40} {money(line.net):>12}")
        out.append(f"  {'Subtotal':<40} {money(self.subtotal):>12}")
        for rate, (_net, vat) in self.vat_breakdown().items():
            out.append(f"  {'VAT ' + percent(rate):<40} {money(vat):>12}")
        out.append(f"  {'Total':<40} {money(self.total):>12}")
        return "\n".join(out)
