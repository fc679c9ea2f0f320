"""The ledger: accounts, posted transactions and balances.

Current balances are kept up to date as transactions are posted and voided,
so :meth:`Ledger.balance` without a date is a dictionary lookup; balances as
of a past date are recomputed from the transactions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from entries import AccountType, Transaction

ZERO = Decimal("0.00")


class Ledger:
    def __init__(self) -> None:
        self.accounts: dict[str, AccountType] = {}
        self._transactions: list[Transaction] = []
        self._ids: set[str] = set()
        self._voided: set[str] = set()
        self._balances: dict[str, Decimal] = {}

    def open_account(self, name: str, kind: AccountType) -> None:
        if name in self.accounts:
            raise ValueError(f"account {name!r} already exists")
        self.accounts[name] = kind
        self._balances[name] = ZERO

    def post(self, txn: Transaction) -> None:
        """Record ``txn``; every account it touches must be open."""
        if txn.id in self._ids:
            raise ValueError(f"duplicate transaction id {txn.id!r}")
        unknown = [p.account for p in txn.postings if p.account not in self.accounts]
        if unknown:
            raise KeyError(f"unknown accounts: {', '.join(unknown)}")
        self._transactions.append(txn)
        self._ids.add(txn.id)
        for p in txn.postings:
            self._balances[p.account] += p.amount

    def get(self, txn_id: str) -> Transaction:
        for txn in self._transactions:
            if txn.id == txn_id:
                return txn
        raise KeyError(f"no transaction {txn_id!r}")

    def void(self, txn_id: str) -> None:
        """Cancel a transaction as if it had never been posted.

        The transaction stays in the journal, marked void, for the audit trail.
        """
        txn = self.get(txn_id)
        if txn_id in self._voided:
            raise ValueError(f"{txn_id} is already void")
        self._voided.add(txn_id)
        for p in txn.postings:
            self._balances[p.account] -= p.amount

    def is_void(self, txn_id: str) -> bool:
        return txn_id in self._voided

    def transactions(self, account: str | None = None, start: date | None = None, end: date | None = None) -> list[Transaction]:
        """Live (not void) transactions in date order, optionally filtered.

        ``start`` and ``end`` are both inclusive.  Transactions on the same day
        keep the order in which they were posted.
        """
        result = []
        for txn in sorted(self._transactions, key=lambda t: t.day):
            if txn.id in self._voided:
                continue
            if account is not None and account not in txn.accounts():
                continue
            if start is not None and txn.day < start:
                continue
            if end is not None and txn.day > end:
                continue
            result.append(txn)
        return result

    def journal(self) -> list[tuple[str, bool]]:
        """Every transaction id in posting order with its void flag."""
        return [(txn.id, txn.id in self._voided) for txn in self._transactions]

    def balance(self, account: str, as_of: date | None = None) -> Decimal:
        """Signed balance (debits positive) now, or at the end of ``as_of``."""
        if account not in self.accounts:
            raise KeyError(f"unknown account {account!r}")
        if as_of is None:
            return self._balances[account]
        total = ZERO
        for txn in self.transactions(account, end=as_of):
            total += sum((p.amount for p in txn.postings if p.account == account), ZERO)
        return total

    def natural_balance(self, account: str, as_of: date | None = None) -> Decimal:
        """Balance in the account's own direction: a loan or revenue shows positive."""
        return self.accounts[account].normal_sign * self.balance(account, as_of)
