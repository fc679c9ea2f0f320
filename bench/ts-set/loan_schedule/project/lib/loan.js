'use strict';
/** Fixed-payment loans in integer cents. Each month's interest is rounded to the cent; the last
 * payment absorbs what rounding left, so the balance ends at exactly zero. */

function monthlyPayment(principalCents, annualRatePercent, months) {
  if (months < 1) throw new RangeError('a loan lasts at least one month');
  const r = annualRatePercent / 100 / 12;
  if (r === 0) return Math.ceil(principalCents / months);
  return Math.round((principalCents * r) / (1 - (1 + r) ** -months));
}

function schedule(principalCents, annualRatePercent, months) {
  const payment = monthlyPayment(principalCents, annualRatePercent, months);
  const r = annualRatePercent / 100 / 12;
  const rows = [];
  let balance = principalCents;
  for (let month = 1; month <= months; month++) {
    const interest = Math.round(balance * r);
    let principal = payment - interest;
    if (month === months || principal > balance) principal = balance;
    balance -= principal;
    rows.push({ month, payment: principal + interest, interest, principal, balance });
    if (balance === 0) break;
  }
  return rows;
}

function totalInterest(rows) {
  return rows.reduce((sum, row) => sum + row.interest, 0);
}

module.exports = { monthlyPayment, schedule, totalInterest };
