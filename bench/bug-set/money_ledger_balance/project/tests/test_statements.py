from datetime import date
from decimal import Decimal

import pytest

from entries import AccountType, transfer
from ledger import Ledger
from statements import account_statement, balance_sheet, income_statement, is_balanced, trial_balance


@pytest.fixture
def ledger():
    book = Ledger()
    for name, kind in [
        ("bank", AccountType.ASSET),
        ("receivables", AccountType.ASSET),
        ("loan", AccountType.LIABILITY),
        ("capital", AccountType.EQUITY),
        ("sales", AccountType.INCOME),
        ("rent", AccountType.EXPENSE),
    ]:
        book.open_account(name, kind)
    book.post(transfer("t1", date(2024, 1, 1), "Owner investment", "bank", "capital", "5000"))
    book.post(transfer("t2", date(2024, 1, 3), "Bank loan", "bank", "loan", "10000"))
    book.post(transfer("t3", date(2024, 1, 5), "Rent January", "rent", "bank", "1200"))
    book.post(transfer("t4", date(2024, 1, 10), "Invoice 1", "receivables", "sales", "2500"))
    book.post(transfer("t5", date(2024, 1, 20), "Invoice 1 paid", "bank", "receivables", "2500"))
    book.post(transfer("t6", date(2024, 2, 1), "Invoice 2", "receivables", "sales", "1750.50"))
    book.post(transfer("t7", date(2024, 2, 5), "Rent February", "rent", "bank", "1200"))
    return book


def test_trial_balance(ledger):
    rows = trial_balance(ledger)
    assert rows == [
        ("bank", Decimal("15100.00"), Decimal("0.00")),
        ("capital", Decimal("0.00"), Decimal("5000.00")),
        ("loan", Decimal("0.00"), Decimal("10000.00")),
        ("receivables", Decimal("1750.50"), Decimal("0.00")),
        ("rent", Decimal("2400.00"), Decimal("0.00")),
        ("sales", Decimal("0.00"), Decimal("4250.50")),
    ]
    assert is_balanced(rows)


def test_trial_balance_after_void(ledger):
    ledger.void("t6")
    rows = trial_balance(ledger)
    assert ("receivables", Decimal("1750.50"), Decimal("0.00")) not in rows
    assert ("sales", Decimal("0.00"), Decimal("2500.00")) in rows
    assert is_balanced(rows)


def test_account_statement(ledger):
    statement = account_statement(ledger, "bank", date(2024, 1, 5), date(2024, 2, 5))
    assert statement.opening == Decimal("15000.00")
    assert [(line.txn_id, line.amount, line.balance) for line in statement.lines] == [
        ("t3", Decimal("-1200.00"), Decimal("13800.00")),
        ("t5", Decimal("2500.00"), Decimal("16300.00")),
        ("t7", Decimal("-1200.00"), Decimal("15100.00")),
    ]
    assert statement.closing == Decimal("15100.00")


def test_statement_of_a_credit_account(ledger):
    statement = account_statement(ledger, "sales", date(2024, 2, 1), date(2024, 2, 29))
    assert statement.opening == Decimal("2500.00")
    assert statement.closing == Decimal("4250.50")


def test_empty_statement(ledger):
    statement = account_statement(ledger, "loan", date(2024, 2, 1), date(2024, 2, 29))
    assert statement.lines == ()
    assert statement.closing == Decimal("10000.00")


def test_statement_period_must_be_ordered(ledger):
    with pytest.raises(ValueError):
        account_statement(ledger, "bank", date(2024, 2, 1), date(2024, 1, 1))


def test_income_statement(ledger):
    assert income_statement(ledger, date(2024, 1, 1), date(2024, 1, 31)) == {
        "income": Decimal("2500.00"),
        "expenses": Decimal("1200.00"),
        "net": Decimal("1300.00"),
    }


def test_balance_sheet_balances(ledger):
    sheet = balance_sheet(ledger, date(2024, 2, 29))
    assert sheet == {
        "assets": Decimal("16850.50"),
        "liabilities": Decimal("10000.00"),
        "equity": Decimal("6850.50"),
    }
    assert sheet["assets"] == sheet["liabilities"] + sheet["equity"]


def test_voided_transactions_leave_statements(ledger):
    ledger.void("t7")
    statement = account_statement(ledger, "bank", date(2024, 2, 1), date(2024, 2, 29))
    assert statement.lines == ()
    assert balance_sheet(ledger, date(2024, 2, 29))["assets"] == Decimal("18050.50")
