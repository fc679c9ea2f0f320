const { Ledger, InsufficientFunds, payAll } = require('../lib/ledger');
const { netPositions, settlements } = require('../lib/settle');

function ledger() {
  const l = new Ledger();
  l.open('alice', 10000);
  l.open('bob', 500);
  return l;
}

describe('Ledger', () => {
  test('moves money from one account to the other', () => {
    const l = ledger();
    l.transfer('alice', 'bob', 2500, 'rent');
    expect([l.balance('alice'), l.balance('bob')]).toEqual([7500, 3000]);
  });
  test('refuses to overdraw', () => {
    expect(() => ledger().transfer('bob', 'alice', 501)).toThrow(InsufficientFunds);
  });
  test('refuses fractions and unknown accounts', () => {
    expect(() => ledger().transfer('alice', 'bob', 1.5)).toThrow(RangeError);
    expect(() => ledger().transfer('alice', 'carol', 100)).toThrow('no account carol');
  });
  test('keeps a signed statement per account', () => {
    const l = ledger();
    l.transfer('alice', 'bob', 100, 'coffee');
    l.transfer('bob', 'alice', 40, 'change');
    expect(l.statement('bob')).toEqual([{ memo: 'coffee', cents: 100 }, { memo: 'change', cents: -40 }]);
  });
  test('payAll pays every share or none', () => {
    const l = ledger();
    l.open('carol');
    payAll(l, 'alice', { bob: 300, carol: 700 });
    expect([l.balance('alice'), l.balance('bob'), l.balance('carol')]).toEqual([9000, 800, 700]);
    expect(() => payAll(l, 'bob', { alice: 500, carol: 500 })).toThrow(InsufficientFunds);
    expect(l.balance('bob')).toBe(800);
  });
});

describe('settle', () => {
  const expenses = [
    { paidBy: 'ann', cents: 3000, splitAmong: ['ann', 'ben', 'cat'] },
    { paidBy: 'ben', cents: 1000, splitAmong: ['ben', 'cat'] },
  ];
  test('nets what each person paid against their shares', () => {
    expect(netPositions(expenses)).toEqual({ ann: 2000, ben: -500, cat: -1500 });
  });
  test('splits an odd cent to the first people', () => {
    expect(netPositions([{ paidBy: 'a', cents: 100, splitAmong: ['a', 'b', 'c'] }])).toEqual({ a: 66, b: -33, c: -33 });
  });
  test('settles with transfers that clear every debt', () => {
    expect(settlements(expenses)).toEqual([{ from: 'ben', to: 'ann', cents: 500 }, { from: 'cat', to: 'ann', cents: 1500 }]);
  });
});
