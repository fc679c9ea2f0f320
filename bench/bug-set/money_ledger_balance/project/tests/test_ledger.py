from datetime import date
from decimal import Decimal

import pytest

from entries import AccountType, split, transfer
from ledger import Ledger


@pytest.fixture
def ledger():
    book = Ledger()
    for name, kind in [
        ("cash", AccountType.ASSET),
        ("bank", AccountType.ASSET),
        ("loan", AccountType.LIABILITY),
        ("capital", AccountType.EQUITY),
        ("sales", AccountType.INCOME),
        ("rent", AccountType.EXPENSE),
        ("supplies", AccountType.EXPENSE),
    ]:
        book.open_account(name, kind)
    book.post(transfer("t1", date(2024, 1, 1), "Owner investment", "cash", "capital", "5000"))
    book.post(transfer("t2", date(2024, 1, 3), "Bank loan", "bank", "loan", "10000"))
    book.post(transfer("t3", date(2024, 1, 5), "Rent January", "rent", "bank", "1200"))
    book.post(split("t4", date(2024, 1, 5), "Shop run", "cash", {"supplies": "150.25", "rent": "20.00"}))
    book.post(transfer("t5", date(2024, 1, 20), "Cash sales", "cash", "sales", "830.40"))
    return book


def test_open_account_twice(ledger):
    with pytest.raises(ValueError):
        ledger.open_account("cash", AccountType.ASSET)


def test_post_to_unknown_account(ledger):
    with pytest.raises(KeyError):
        ledger.post(transfer("t9", date(2024, 2, 1), "?", "petty", "cash", "5"))


def test_duplicate_transaction_id(ledger):
    with pytest.raises(ValueError):
        ledger.post(transfer("t1", date(2024, 2, 1), "again", "cash", "capital", "1"))


def test_current_balances(ledger):
    assert ledger.balance("cash") == Decimal("5660.15")
    assert ledger.balance("bank") == Decimal("8800.00")
    assert ledger.balance("sales") == Decimal("-830.40")


def test_natural_balance(ledger):
    assert ledger.natural_balance("loan") == Decimal("10000.00")
    assert ledger.natural_balance("rent") == Decimal("1220.00")


def test_balance_as_of_a_date(ledger):
    assert ledger.balance("cash", as_of=date(2024, 1, 4)) == Decimal("5000.00")
    assert ledger.balance("cash", as_of=date(2024, 1, 5)) == Decimal("4829.75")


def test_unknown_account_balance(ledger):
    with pytest.raises(KeyError):
        ledger.balance("petty")


def test_transactions_filtered_and_ordered(ledger):
    ledger.post(transfer("t0", date(2024, 1, 2), "Late entry", "cash", "capital", "1"))
    assert [t.id for t in ledger.transactions("cash")] == ["t1", "t0", "t4", "t5"]
    assert [t.id for t in ledger.transactions(start=date(2024, 1, 3), end=date(2024, 1, 5))] == ["t2", "t3", "t4"]


def test_void_hides_the_transaction(ledger):
    ledger.void("t3")
    assert ledger.is_void("t3")
    assert "t3" not in [t.id for t in ledger.transactions()]
    assert ("t3", True) in ledger.journal()


def test_void_restores_balances(ledger):
    ledger.void("t3")
    assert ledger.balance("bank") == Decimal("10000.00")
    assert ledger.natural_balance("rent") == Decimal("20.00")


def test_void_twice_or_unknown(ledger):
    ledger.void("t5")
    with pytest.raises(ValueError):
        ledger.void("t5")
    with pytest.raises(KeyError):
        ledger.void("t42")


def test_void_then_correct(ledger):
    ledger.void("t5")
    ledger.post(transfer("t5b", date(2024, 1, 20), "Cash sales (corrected)", "cash", "sales", "803.40"))
    assert ledger.balance("cash", as_of=date(2024, 1, 31)) == Decimal("5633.15")
