/** Binary search over arrays sorted by `compare` (ascending), like Python's bisect module. */

const natural = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** The first index whose item is not less than `value`. */
export function lowerBound(items, value, compare = natural) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid], value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose item is greater than `value`. */
export function upperBound(items, value, compare = natural) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid], value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(items, value, compare = natural) {
  items.splice(upperBound(items, value, compare), 0, value);
  return items;
}

export function countInRange(items, low, high, compare = natural) {
  return Math.max(0, upperBound(items, high, compare) - lowerBound(items, low, compare));
}

export function indexOfSorted(items, value, compare = natural) {
  const i = lowerBound(items, value, compare);
  return i < items.length && compare(items[i], value) === 0 ? i : -1;
}
