const { evaluate } = require('../lib/evaluate');
const { tokenize } = require('../lib/tokenize');

describe('tokenize', () => {
  test('reads numbers, names and operators', () => {
    expect(tokenize('2.5*x1 ** 2').map((t) => t.value)).toEqual([2.5, '*', 'x1', '^', 2]);
  });
  test('refuses stray characters', () => {
    expect(() => tokenize('1 # 2')).toThrow(SyntaxError);
  });
});

describe('evaluate', () => {
  test('multiplies before adding', () => {
    expect(evaluate('2 + 3 * 4')).toBe(14);
  });
  test('subtracts and divides from the left', () => {
    expect(evaluate('10 - 4 - 3')).toBe(3);
    expect(evaluate('64 / 4 / 2')).toBe(8);
  });
  test('raises to powers from the right', () => {
    expect(evaluate('2 ^ 3 ^ 2')).toBe(512);
  });
  test('honours parentheses', () => {
    expect(evaluate('(2 + 3) * (7 - 5)')).toBe(10);
  });
  test('reads unary minus', () => {
    expect(evaluate('-3 * -(2 + 1)')).toBe(9);
  });
  test('looks up variables', () => {
    expect(evaluate('rate * hours % 7', { rate: 3, hours: 5 })).toBe(1);
    expect(() => evaluate('x + 1')).toThrow(ReferenceError);
  });
  test('refuses unbalanced parentheses', () => {
    expect(() => evaluate('(1 + 2')).toThrow('unbalanced (');
    expect(() => evaluate('1 + 2)')).toThrow('unbalanced )');
  });
});
