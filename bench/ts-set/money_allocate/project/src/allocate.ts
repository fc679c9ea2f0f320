/** Money is held in integer cents; splitting never creates or loses a cent. */

export function allocate(cents: number, ratios: number[]): number[] {
  if (!Number.isInteger(cents)) throw new TypeError("cents must be an integer");
  if (ratios.length === 0) throw new RangeError("at least one ratio is needed");
  if (ratios.some((r) => r < 0)) throw new RangeError("ratios cannot be negative");
  const total = ratios.reduce((sum, r) => sum + r, 0);
  if (total === 0) throw new RangeError("ratios cannot all be zero");

  const sign = cents < 0 ? -1 : 1;
  const amount = Math.abs(cents);
  const shares = ratios.map((r) => Math.floor((amount * r) / total));
  let left = amount - shares.reduce((sum, s) => sum + s, 0);
  // The leftover cents go to the largest fractional parts first, ties to the earlier share.
  const order = ratios
    .map((r, i) => ({ i, rest: (amount * r) % total }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    shares[i] += 1;
    left -= 1;
  }
  return shares.map((s) => s * sign + 0);
}

export function splitEvenly(cents: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError("parts must be a positive integer");
  return allocate(cents, new Array(parts).fill(1));
}
