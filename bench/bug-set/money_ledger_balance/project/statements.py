"""Reports over a :class:`ledger.Ledger`: trial balance, account statements,
income statement and balance sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from entries import AccountType
from ledger import ZERO, Ledger


def trial_balance(ledger: Ledger) -> list[tuple[str, Decimal, Decimal]]:
    """``(account, debit, credit)`` for every account with a balance, by name.

    The debit column always totals the credit column in a sound ledger.
    """
    rows = []
    for account in sorted(ledger.accounts):
        amount = ledger.balance(account)
        if amount > 0:
            rows.append((account, amount, ZERO))
        elif amount < 0:
            rows.append((account, ZERO, -amount))
    return rows


def is_balanced(rows: list[tuple[str, Decimal, Decimal]]) -> bool:
    return sum((r[1] for r in rows), ZERO) == sum((r[2] for r in rows), ZERO)


@dataclass(frozen=True)
class StatementLine:
    day: date
    txn_id: str
    description: str
    amount: Decimal
    balance: Decimal


@dataclass(frozen=True)
class AccountStatement:
    account: str
    opening: Decimal
    lines: tuple[StatementLine, ...]

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening


def account_statement(ledger: Ledger, account: str, start: date, end: date) -> AccountStatement:
    """Movements of ``account`` from ``start`` to ``end`` (inclusive) with a running balance.

    Amounts and balances are in the account's natural direction.
    """
    if end < start:
        raise ValueError("end must not be before start")
    sign = ledger.accounts[account].normal_sign
    opening = ledger.natural_balance(account, start - timedelta(days=1))
    running = opening
    lines = []
    for txn in ledger.transactions(account, start, end):
        amount = sign * sum((p.amount for p in txn.postings if p.account == account), ZERO)
        running += amount
        lines.append(StatementLine(txn.day, txn.id, txn.description, amount, running))
    return AccountStatement(account, opening, tuple(lines))


def income_statement(ledger: Ledger, start: date, end: date) -> dict[str, Decimal]:
    """Income, expenses and net income for the period ``[start, end]``."""
    totals = {AccountType.INCOME: ZERO, AccountType.EXPENSE: ZERO}
    for txn in ledger.transactions(start=start, end=end):
        for p in txn.postings:
            kind = ledger.accounts[p.account]
            if kind in totals:
                totals[kind] += kind.normal_sign * p.amount
    income, expenses = totals[AccountType.INCOME], totals[AccountType.EXPENSE]
    return {"income": income, "expenses": expenses, "net": income - expenses}


def balance_sheet(ledger: Ledger, as_of: date) -> dict[str, Decimal]:
    """Assets, liabilities and equity (retained earnings included) at ``as_of``."""
    sums = {kind: ZERO for kind in AccountType}
    for account, kind in ledger.accounts.items():
        sums[kind] += ledger.natural_balance(account, as_of)
    retained = sums[AccountType.INCOME] - sums[AccountType.EXPENSE]
    return {
        "assets": sums[AccountType.ASSET],
        "liabilities": sums[AccountType.LIABILITY],
        "equity": sums[AccountType.EQUITY] + retained,
    }
