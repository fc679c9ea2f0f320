'use strict';
/** Settling a group's shared expenses with as few transfers as a greedy match gives. */
const { payAll } = require('./ledger');

/** Net positions: positive is owed money, negative owes. */
function netPositions(expenses) {
  const net = {};
  for (const { paidBy, cents, splitAmong } of expenses) {
    const share = Math.floor(cents / splitAmong.length);
    let rest = cents - share * splitAmong.length;
    net[paidBy] = (net[paidBy] || 0) + cents;
    for (const person of splitAmong) {
      const extra = rest > 0 ? 1 : 0;
      rest -= extra;
      net[person] = (net[person] || 0) - share - extra;
    }
  }
  return net;
}

function settlements(expenses) {
  const net = netPositions(expenses);
  const debtors = Object.entries(net).filter(([, v]) => v < 0).map(([p, v]) => [p, -v]);
  const creditors = Object.entries(net).filter(([, v]) => v > 0);
  const transfers = [];
  let i = 0;
  let j = 0;
  while (i < debtors.length && j < creditors.length) {
    const cents = Math.min(debtors[i][1], creditors[j][1]);
    transfers.push({ from: debtors[i][0], to: creditors[j][0], cents });
    debtors[i][1] -= cents;
    creditors[j][1] -= cents;
    if (debtors[i][1] === 0) i++;
    if (creditors[j][1] === 0) j++;
  }
  return transfers;
}

module.exports = { netPositions, settlements, payAll };
