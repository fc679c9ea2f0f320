"""Double-entry building blocks: account types, postings and transactions.

A posting's amount is signed: positive for a debit, negative for a credit.
The postings of a transaction must add up to exactly zero.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")


class AccountType(enum.Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"

    @property
    def normal_sign(self) -> int:
        """+1 for debit-normal accounts (assets, expenses), -1 for the others."""
        return 1 if self in (AccountType.ASSET, AccountType.EXPENSE) else -1


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount == 0:
            raise ValueError(f"zero posting to {self.account}")
        if self.amount != self.amount.quantize(CENT):
            raise ValueError(f"{self.amount} is not a whole number of cents")

    @property
    def is_debit(self) -> bool:
        return self.amount > 0


@dataclass(frozen=True)
class Transaction:
    id: str
    day: date
    description: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        if len(self.postings) < 2:
            raise ValueError(f"{self.id}: a transaction needs at least two postings")
        total = sum((p.amount for p in self.postings), Decimal("0"))
        if total != 0:
            raise ValueError(f"{self.id}: postings are off balance by {total}")

    @property
    def amount(self) -> Decimal:
        """Total of the debits (equal to the total of the credits)."""
        return sum((p.amount for p in self.postings if p.is_debit), Decimal("0"))

    def accounts(self) -> list[str]:
        return list(dict.fromkeys(p.account for p in self.postings))

    def reversed(self, new_id: str, day: date) -> "Transaction":
        """A transaction undoing this one."""
        postings = tuple(Posting(p.account, -p.amount) for p in self.postings)
        return Transaction(new_id, day, f"Reversal of {self.id}", postings)


def transfer(id: str, day: date, description: str, debit: str, credit: str, amount: Decimal | str) -> Transaction:
    """The common two-legged case: ``amount`` from ``credit`` to ``debit``."""
    value = Decimal(amount)
    if value <= 0:
        raise ValueError("transfer amount must be positive")
    return Transaction(id, day, description, (Posting(debit, value), Posting(credit, -value)))


def split(id: str, day: date, description: str, credit: str, debits: dict[str, Decimal | str]) -> Transaction:
    """One credit spread over several debit accounts (a bill with several lines)."""
    legs = [Posting(account, Decimal(amount)) for account, amount in debits.items()]
    total = sum((p.amount for p in legs), Decimal("0"))
    return Transaction(id, day, description, (*legs, Posting(credit, -total)))
