"""Splitting a shared bill between the people who ran it up.

Each item is split evenly between the people who had it; tax and tip are
then shared in proportion to what each person ordered.  Every share is a
whole number of minor units and the shares add up to the bill's total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from allocate import allocate, split_evenly
from money import ExchangeRates, from_minor, round_to_currency, to_minor


@dataclass(frozen=True)
class Item:
    description: str
    amount: Decimal
    shared_by: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.shared_by:
            raise ValueError(f"nobody had {self.description!r}")
        if len(set(self.shared_by)) != len(self.shared_by):
            raise ValueError(f"{self.description!r} lists someone twice")


@dataclass
class Bill:
    currency: str
    items: list[Item] = field(default_factory=list)
    tax_rate: Decimal = Decimal("0")
    tip_rate: Decimal = Decimal("0")

    def add(self, description: str, amount: str | Decimal, *people: str) -> "Bill":
        self.items.append(Item(description, Decimal(amount), tuple(people)))
        return self

    def people(self) -> list[str]:
        """Everyone on the bill, in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.items:
            for person in item.shared_by:
                seen.setdefault(person)
        return list(seen)

    @property
    def subtotal(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal("0"))

    @property
    def tax(self) -> Decimal:
        return round_to_currency(self.subtotal * self.tax_rate, self.currency)

    @property
    def tip(self) -> Decimal:
        """Tip on the amount before tax."""
        return round_to_currency(self.subtotal * self.tip_rate, self.currency)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax + self.tip


def subtotals(bill: Bill) -> dict[str, int]:
    """What each person ordered, in minor units."""
    result = {person: 0 for person in bill.people()}
    for item in bill.items:
        parts = split_evenly(to_minor(item.amount, bill.currency), len(item.shared_by))
        for person, part in zip(item.shared_by, parts):
            result[person] += part
    return result


def shares(bill: Bill) -> dict[str, Decimal]:
    """Each person's part of the total, tax and tip included."""
    own = subtotals(bill)
    people = list(own)
    if not people:
        return {}
    weights = [own[p] for p in people]
    extras = to_minor(bill.tax + bill.tip, bill.currency)
    extra_parts = allocate(extras, weights) if any(weights) else split_evenly(extras, len(people))
    return {p: from_minor(own[p] + extra, bill.currency) for p, extra in zip(people, extra_parts)}


def shares_in_home_currency(bill: Bill, homes: dict[str, str], rates: ExchangeRates) -> dict[str, Decimal]:
    """Each share converted to the currency the person pays in (default: the bill's)."""
    result = {}
    for person, share in shares(bill).items():
        home = homes.get(person, bill.currency)
        result[person] = rates.convert(share, bill.currency, home)
    return result


def settle(bill: Bill, paid: dict[str, Decimal]) -> dict[str, Decimal]:
    """Net balance per person: positive means the person is owed money.

    ``paid`` says who paid how much of the bill; the payments must cover the
    total exactly.
    """
    if sum(paid.values(), Decimal("0")) != bill.total:
        raise ValueError("payments do not add up to the bill total")
    owed = shares(bill)
    everyone = list(owed) + [p for p in paid if p not in owed]
    return {p: paid.get(p, Decimal("0")) - owed.get(p, Decimal("0")) for p in everyone}
