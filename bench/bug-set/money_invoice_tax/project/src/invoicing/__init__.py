"""Invoices with per-line or per-rate VAT rounding."""

from invoicing.invoice import Invoice
from invoicing.lines import LineItem
from invoicing.money import format_amount, parse_amount, round_money

__all__ = ["Invoice", "LineItem", "format_amount", "parse_amount", "round_money"]
