'use strict';
/** A ledger of accounts in integer cents. Every transfer is one entry debiting one account and
 * crediting another, so the sum of all balances never changes. */

class InsufficientFunds extends Error {}

class Ledger {
  constructor() {
    this.balances = new Map();
    this.entries = [];
  }

  open(account, cents = 0) {
    if (this.balances.has(account)) throw new Error(`account ${account} exists`);
    this.balances.set(account, cents);
  }

  balance(account) {
    if (!this.balances.has(account)) throw new Error(`no account ${account}`);
    return this.balances.get(account);
  }

  transfer(from, to, cents, memo = '') {
    if (!Number.isInteger(cents) || cents <= 0) throw new RangeError('amount must be positive whole cents');
    if (from === to) throw new Error('cannot transfer to the same account');
    if (this.balance(from) < cents) throw new InsufficientFunds(`${from} has ${this.balance(from)}, needs ${cents}`);
    this.balance(to);
    this.balances.set(from, this.balance(from) - cents);
    this.balances.set(to, this.balance(to) + cents);
    this.entries.push({ from, to, cents, memo });
  }

  statement(account) {
    return this.entries
      .filter((e) => e.from === account || e.to === account)
      .map((e) => ({ memo: e.memo, cents: e.to === account ? e.cents : -e.cents }));
  }
}

/** Pays each of `shares` ({account: cents}) from `payer`, all or nothing. */
function payAll(ledger, payer, shares) {
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  if (ledger.balance(payer) < total) throw new InsufficientFunds(`${payer} cannot pay ${total}`);
  for (const [account, cents] of Object.entries(shares)) ledger.transfer(payer, account, cents, 'share');
}

module.exports = { Ledger, InsufficientFunds, payAll };
