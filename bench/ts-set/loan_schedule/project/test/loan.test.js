const { monthlyPayment, schedule, totalInterest } = require('../lib/loan');

describe('loan', () => {
  test('computes the fixed payment', () => {
    expect(monthlyPayment(10000000, 6, 360)).toBe(59955);
  });
  test('an interest-free loan splits the principal', () => {
    expect(monthlyPayment(100000, 0, 3)).toBe(33334);
  });
  test('the first month is mostly interest', () => {
    const [first] = schedule(10000000, 6, 360);
    expect(first).toEqual({ month: 1, payment: 59955, interest: 50000, principal: 9955, balance: 9990045 });
  });
  test('the balance ends at exactly zero', () => {
    const rows = schedule(999999, 12, 36);
    expect(rows).toHaveLength(36);
    expect(rows[rows.length - 1].balance).toBe(0);
  });
  test('principal paid adds up to the loan', () => {
    const rows = schedule(500000, 4.2, 12);
    expect(rows.reduce((s, r) => s + r.principal, 0)).toBe(500000);
  });
  test('an interest-free loan ends early on the last cent', () => {
    const rows = schedule(100000, 0, 3);
    expect(rows.map((r) => r.payment)).toEqual([33334, 33334, 33332]);
    expect(totalInterest(rows)).toBe(0);
  });
  test('refuses a zero-month loan', () => {
    expect(() => monthlyPayment(1000, 5, 0)).toThrow(RangeError);
  });
});
