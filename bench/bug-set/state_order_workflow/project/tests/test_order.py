from datetime import date

import pytest

from orders import InvalidTransition, Line, Order, OrderState

D = date(2024, 3, 1)


def make_order(**kwargs):
    lines = kwargs.pop("lines", [Line("book", 2, 1250), Line("pen", 3, 199)])
    return Order("ORD-1", "ann", lines, D, **kwargs)


def test_total_sums_lines():
    assert make_order().total_cents == 2 * 1250 + 3 * 199


def test_new_order_is_pending_with_history():
    order = make_order()
    assert order.state is OrderState.PENDING
    assert order.history == [(OrderState.PENDING, D)]


@pytest.mark.parametrize("quantity, price", [(0, 100), (-1, 100), (1, -5)])
def test_invalid_lines_rejected(quantity, price):
    with pytest.raises(ValueError):
        Line("x", quantity, price)


def test_empty_order_rejected():
    with pytest.raises(ValueError):
        make_order(lines=[])


def test_happy_path_records_history():
    order = make_order()
    for day, event in enumerate(["pay", "pack", "ship", "deliver"], start=2):
        order.apply(event, date(2024, 3, day))
    assert order.state is OrderState.DELIVERED
    assert order.entered(OrderState.SHIPPED) == date(2024, 3, 4)
    assert [state for state, _ in order.history] == [
        OrderState.PENDING,
        OrderState.PAID,
        OrderState.PACKED,
        OrderState.SHIPPED,
        OrderState.DELIVERED,
    ]


def test_cannot_skip_payment():
    order = make_order()
    with pytest.raises(InvalidTransition) as info:
        order.apply("ship", D)
    assert info.value.src is OrderState.PENDING
    assert order.state is OrderState.PENDING
    assert len(order.history) == 1


def test_unknown_event():
    with pytest.raises(ValueError):
        make_order().apply("teleport", D)


def test_dates_must_not_go_backwards():
    order = make_order()
    with pytest.raises(ValueError):
        order.apply("pay", date(2024, 2, 28))


@pytest.mark.parametrize(
    "events, expected",
    [
        ([], ["cancel", "pay"]),
        (["pay"], ["cancel", "pack"]),
        (["pay", "pack"], ["cancel", "ship"]),
        (["pay", "pack", "ship"], ["deliver"]),
        (["pay", "pack", "ship", "deliver"], ["return"]),
        (["cancel"], []),
    ],
)
def test_next_events(events, expected):
    order = make_order()
    for event in events:
        order.apply(event, D)
    assert order.next_events() == expected


def test_cancelled_order_is_closed():
    order = make_order()
    order.apply("cancel", D)
    assert order.closed
    with pytest.raises(InvalidTransition):
        order.apply("pay", D)
