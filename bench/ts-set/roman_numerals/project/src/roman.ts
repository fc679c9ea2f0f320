/** Roman numerals from 1 to 3999, in the standard subtractive form. */

const SYMBOLS: [string, number][] = [
  ["M", 1000], ["CM", 900], ["D", 500], ["CD", 400], ["C", 100], ["XC", 90],
  ["L", 50], ["XL", 40], ["X", 10], ["IX", 9], ["V", 5], ["IV", 4], ["I", 1],
];
const VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError(`${n} has no roman numeral`);
  let out = "";
  for (const [symbol, value] of SYMBOLS) {
    while (n >= value) {
      out += symbol;
      n -= value;
    }
  }
  return out;
}

export function fromRoman(text: string): number {
  const upper = text.toUpperCase();
  let total = 0;
  for (let i = 0; i < upper.length; i++) {
    const value = VALUES[upper[i]];
    if (value === undefined) throw new SyntaxError(`not a roman digit: ${text[i]}`);
    const next = VALUES[upper[i + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  // Only the canonical spelling is accepted: IIII, VV or IC are refused.
  if (total < 1 || total > 3999 || toRoman(total) !== upper) throw new SyntaxError(`not a canonical numeral: ${text}`);
  return total;
}
