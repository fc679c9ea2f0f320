import { describe, expect, test } from "vitest";
import { LruCache, memoize } from "./lru";

describe("LruCache", () => {
  test("returns what was stored", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    expect(cache.get("a")).toBe(1);
    expect(cache.get("b")).toBeUndefined();
  });
  test("holds exactly its capacity", () => {
    const cache = new LruCache<string, number>(3);
    ["a", "b", "c"].forEach((k, i) => cache.set(k, i));
    expect(cache.size).toBe(3);
    expect(cache.keys()).toEqual(["a", "b", "c"]);
  });
  test("evicts the least recently used", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect(cache.keys()).toEqual(["a", "c"]);
  });
  test("overwriting refreshes a key", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 10);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(10);
    expect(cache.get("b")).toBeUndefined();
  });
  test("counts hits and misses", () => {
    const cache = new LruCache<string, number>(1);
    cache.set("a", 1);
    cache.get("a");
    cache.get("z");
    expect(cache.hitRate()).toBe(0.5);
  });
  test("rejects a zero capacity", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe("memoize", () => {
  test("calls the function once per argument", () => {
    let calls = 0;
    const square = memoize((n: number) => {
      calls += 1;
      return n * n;
    }, 2);
    expect([square(3), square(3), square(4)]).toEqual([9, 9, 16]);
    expect(calls).toBe(2);
  });
});
