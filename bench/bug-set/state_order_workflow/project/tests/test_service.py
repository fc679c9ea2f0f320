from datetime import date

import pytest

from orders import InvalidTransition, OrderService, PaymentError, ReturnWindowClosed

LINES = [("mug", 2, 800), ("tea", 1, 650)]
TOTAL = 2250


@pytest.fixture
def service():
    return OrderService()


def day(n):
    return date(2024, 5, n)


def paid_order(service):
    oid = service.place("ann", LINES, day(1))
    service.pay(oid, TOTAL, day(1))
    return oid


def test_order_ids_are_sequential(service):
    assert service.place("ann", LINES, day(1)) == "ORD-0001"
    assert service.place("bob", LINES, day(1)) == "ORD-0002"


def test_payment_must_match_total(service):
    oid = service.place("ann", LINES, day(1))
    with pytest.raises(PaymentError):
        service.pay(oid, TOTAL - 1, day(1))
    assert service.ledger == []


def test_cancel_unpaid_refunds_nothing(service):
    oid = service.place("ann", LINES, day(1))
    assert service.cancel(oid, day(2)) == 0
    assert service.net_revenue_cents() == 0


def test_cancel_packed_order_refunds(service):
    oid = paid_order(service)
    service.pack(oid, day(2))
    assert service.cancel(oid, day(3)) == TOTAL
    assert service.net_revenue_cents() == 0
    assert service.counts_by_state() == {"cancelled": 1}


def test_cannot_cancel_after_shipping(service):
    oid = paid_order(service)
    service.pack(oid, day(2))
    service.ship(oid, day(3))
    with pytest.raises(InvalidTransition):
        service.cancel(oid, day(4))
    assert service.net_revenue_cents() == TOTAL


def test_shipped_order_stays_open_until_delivered(service):
    oid = paid_order(service)
    service.pack(oid, day(2))
    service.ship(oid, day(3))
    assert service.get(oid).next_events() == ["deliver"]
    service.deliver(oid, day(5))
    assert service.counts_by_state() == {"delivered": 1}


def test_return_and_refund_within_window(service):
    oid = paid_order(service)
    service.pack(oid, day(2))
    service.ship(oid, day(2))
    service.deliver(oid, day(4))
    service.request_return(oid, date(2024, 6, 3))
    assert service.refund_return(oid, date(2024, 6, 5)) == TOTAL
    assert service.net_revenue_cents() == 0
    assert service.open_orders() == []


def test_return_window_closes_after_30_days(service):
    oid = paid_order(service)
    service.pack(oid, day(2))
    service.ship(oid, day(2))
    service.deliver(oid, day(4))
    with pytest.raises(ReturnWindowClosed):
        service.request_return(oid, date(2024, 6, 4))


def test_cannot_return_undelivered_order(service):
    oid = paid_order(service)
    with pytest.raises(InvalidTransition):
        service.request_return(oid, day(2))


def test_double_payment_rejected(service):
    oid = paid_order(service)
    with pytest.raises(InvalidTransition):
        service.pay(oid, TOTAL, day(2))
    assert service.net_revenue_cents() == TOTAL


def test_report_over_several_orders(service):
    a = paid_order(service)
    b = paid_order(service)
    c = service.place("cy", LINES, day(1))
    service.pack(a, day(2))
    service.ship(a, day(3))
    service.cancel(b, day(3))
    assert service.counts_by_state() == {"cancelled": 1, "pending": 1, "shipped": 1}
    assert service.open_orders() == [a, c]
    assert service.net_revenue_cents() == TOTAL


def test_unknown_order(service):
    with pytest.raises(KeyError):
        service.get("ORD-9999")
