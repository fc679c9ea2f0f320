/** Durations in milliseconds, shown as "1h 30m" and read back from the same notation. */

const UNITS: [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** The largest `largest` units, rounded down: 90061000 ms -> "1d 1h" with the default 2. */
export function humanize(ms: number, largest = 2): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError("a duration is a finite number >= 0");
  if (ms === 0) return "0s";
  const parts: string[] = [];
  let rest = Math.floor(ms);
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
    if (parts.length === largest) break;
  }
  return parts.join(" ");
}

export function parseDuration(text: string): number {
  const token = /\s*(\d+(?:\.\d+)?)(ms|d|h|m|s)\s*/y;
  const compact = text.trim();
  if (compact === "") throw new SyntaxError("an empty duration");
  let total = 0;
  let at = 0;
  while (at < compact.length) {
    token.lastIndex = at;
    const match = token.exec(compact);
    if (!match) throw new SyntaxError(`not a duration: ${text}`);
    total += Number(match[1]) * UNITS.find(([unit]) => unit === match[2])![1];
    at = token.lastIndex;
  }
  return Math.round(total);
}
