import { describe, expect, test } from "vitest";
import { TokenBucket } from "./bucket";

function fakeClock(start = 0) {
  let now = start;
  const clock = () => now;
  return { clock, advance: (ms: number) => { now += ms; } };
}

describe("TokenBucket", () => {
  test("starts full", () => {
    const { clock } = fakeClock();
    expect(new TokenBucket(5, 1, clock).available()).toBe(5);
  });
  test("refuses when empty", () => {
    const { clock } = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });
  test("refills with time", () => {
    const t = fakeClock();
    const bucket = new TokenBucket(10, 2, t.clock);
    bucket.tryTake(10);
    t.advance(1500);
    expect(bucket.available()).toBe(3);
  });
  test("never holds more than its capacity", () => {
    const t = fakeClock();
    const bucket = new TokenBucket(3, 100, t.clock);
    t.advance(60_000);
    expect(bucket.available()).toBe(3);
  });
  test("says how long to wait", () => {
    const t = fakeClock();
    const bucket = new TokenBucket(4, 4, t.clock);
    bucket.tryTake(4);
    expect(bucket.waitTime(2)).toBe(500);
    expect(bucket.waitTime(5)).toBe(Infinity);
  });
  test("takes several tokens at once", () => {
    const { clock } = fakeClock();
    const bucket = new TokenBucket(5, 1, clock);
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.available()).toBe(2);
  });
});
