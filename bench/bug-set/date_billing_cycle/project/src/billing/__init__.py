"""Subscription billing cycles: bill dates, periods and proration."""

from billing.cycle import BillingCycle, Period
from billing.months import add_months, days_in_month, is_leap_year, month_end
from billing.proration import first_invoice_amount, prorate, upgrade_charge

__all__ = [
    "BillingCycle",
    "Period",
    "add_months",
    "days_in_month",
    "first_invoice_amount",
    "is_leap_year",
    "month_end",
    "prorate",
    "upgrade_charge",
]
