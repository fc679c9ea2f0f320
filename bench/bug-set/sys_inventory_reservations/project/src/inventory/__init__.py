"""Stock levels, time-limited reservations and order fulfilment."""

from inventory.fulfillment import Fulfillment, ReservationExpired, UnknownOrder
from inventory.reservations import InsufficientStock, Reservation, ReservationBook
from inventory.stock import StockError, StockLedger

__all__ = [
    "Fulfillment",
    "InsufficientStock",
    "Reservation",
    "ReservationBook",
    "ReservationExpired",
    "StockError",
    "StockLedger",
    "UnknownOrder",
]
