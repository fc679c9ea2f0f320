/** Closed intervals [start, end] of minutes; touching intervals merge into one. */

export type Interval = [start: number, end: number];

export function normalize(intervals: Interval[]): Interval[] {
  for (const [start, end] of intervals) {
    if (end < start) throw new RangeError(`interval ends before it starts: [${start}, ${end}]`);
  }
  return [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export function merge(intervals: Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const [start, end] of normalize(intervals)) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

export function totalLength(intervals: Interval[]): number {
  return merge(intervals).reduce((sum, [start, end]) => sum + (end - start), 0);
}

export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const left = merge(a);
  const right = merge(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i][0], right[j][0]);
    const end = Math.min(left[i][1], right[j][1]);
    if (start <= end) out.push([start, end]);
    if (left[i][1] < right[j][1]) i++;
    else j++;
  }
  return out;
}
