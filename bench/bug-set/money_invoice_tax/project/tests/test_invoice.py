from datetime import date
from decimal import Decimal

import pytest

from invoicing.invoice import Invoice
from invoicing.lines import LineItem


def make_invoice(method="line"):
    inv = Invoice("2024-001", date(2024, 3, 5), method=method)
    inv.add(LineItem.of("Consulting", "3", "120.00"))
    inv.add(LineItem.of("Books", "5", "2.50", "reduced"))
    inv.add(LineItem.of("Training", "1", "199.90", discount="0.15"))
    inv.add(LineItem.of("Cake", "1", "12.50", "reduced"))
    return inv


def simple_invoice(method="line"):
    inv = Invoice("2024-002", date(2024, 3, 6), currency="GBP", method=method)
    inv.add(LineItem.of("Paper", "10", "4.99"))
    inv.add(LineItem.of("Pens", "3", "1.15"))
    inv.add(LineItem.of("Tea", "2", "3.10", "reduced"))
    return inv


def test_unknown_method_rejected():
    with pytest.raises(ValueError):
        Invoice("x", date(2024, 1, 1), method="total")


def test_empty_invoice():
    inv = Invoice("x", date(2024, 1, 1))
    assert inv.subtotal == Decimal("0.00")
    assert inv.total == Decimal("0.00")


def test_subtotal_and_discounts():
    inv = simple_invoice()
    assert inv.subtotal == Decimal("59.55")
    assert inv.discount_total == Decimal("0.00")


def test_vat_breakdown_per_line():
    inv = make_invoice()
    assert inv.vat_breakdown() == {
        Decimal("0.20"): (Decimal("529.91"), Decimal("105.98")),
        Decimal("0.05"): (Decimal("25.00"), Decimal("1.26")),
    }


def test_vat_per_rate_rounds_once():
    inv = simple_invoice(method="rate")
    assert inv.vat_breakdown() == {
        Decimal("0.20"): (Decimal("53.35"), Decimal("10.67")),
        Decimal("0.05"): (Decimal("6.20"), Decimal("0.31")),
    }


def test_methods_agree_without_halves():
    assert simple_invoice("line").total == simple_invoice("rate").total == Decimal("70.53")


def test_total_with_line_rounding():
    inv = make_invoice()
    assert inv.subtotal == Decimal("554.91")
    assert inv.vat_total == Decimal("107.24")
    assert inv.total == Decimal("662.15")


def test_render():
    assert simple_invoice().render().splitlines() == [
        "Invoice 2024-002 (06 Mar 2024)",
        "  Paper x10 @ 4.99                               £49.90",
        "  Pens x3 @ 1.15                                  £3.45",
        "  Tea x2 @ 3.10                                   £6.20",
        "  Subtotal                                       £59.55",
        "  VAT 20%                                        £10.67",
        "  VAT 5%                                          £0.31",
        "  Total                                          £70.53",
    ]


def test_credit_note_negates_amounts():
    note = simple_invoice().credit_note("CN-7", date(2024, 4, 1))
    assert note.amount_due == Decimal("-70.53")
    assert note.render().splitlines()[-1] == "  Total                                         -£70.53"
    assert note.lines == simple_invoice().lines


def test_amount_due_of_invoice():
    assert simple_invoice().amount_due == Decimal("70.53")
