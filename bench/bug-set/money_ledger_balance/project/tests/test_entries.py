from datetime import date
from decimal import Decimal

import pytest

from entries import AccountType, Posting, Transaction, split, transfer

DAY = date(2024, 1, 1)


def test_normal_sign():
    assert AccountType.ASSET.normal_sign == 1
    assert AccountType.EXPENSE.normal_sign == 1
    assert AccountType.INCOME.normal_sign == -1
    assert AccountType.LIABILITY.normal_sign == -1


@pytest.mark.parametrize("amount", ["0", "0.001", "-12.345"])
def test_bad_postings(amount):
    with pytest.raises(ValueError):
        Posting("cash", Decimal(amount))


def test_transaction_must_balance():
    with pytest.raises(ValueError):
        Transaction("t1", DAY, "oops", (Posting("cash", Decimal("10")), Posting("sales", Decimal("-9.99"))))


def test_transaction_needs_two_postings():
    with pytest.raises(ValueError):
        Transaction("t1", DAY, "oops", (Posting("cash", Decimal("10")),))


def test_transfer():
    txn = transfer("t1", DAY, "Cash sale", "cash", "sales", "19.99")
    assert [(p.account, p.amount) for p in txn.postings] == [("cash", Decimal("19.99")), ("sales", Decimal("-19.99"))]
    assert txn.amount == Decimal("19.99")


def test_transfer_amount_must_be_positive():
    with pytest.raises(ValueError):
        transfer("t1", DAY, "x", "cash", "sales", "-5")


def test_split_credits_the_total():
    txn = split("t2", DAY, "Bills", "bank", {"rent": "1200", "power": "84.30"})
    assert txn.postings[-1] == Posting("bank", Decimal("-1284.30"))
    assert txn.accounts() == ["rent", "power", "bank"]


def test_reversed():
    txn = transfer("t1", DAY, "Cash sale", "cash", "sales", "19.99")
    back = txn.reversed("t1-r", date(2024, 1, 2))
    assert back.description == "Reversal of t1"
    assert [(p.account, p.amount) for p in back.postings] == [("cash", Decimal("-19.99")), ("sales", Decimal("19.99"))]
