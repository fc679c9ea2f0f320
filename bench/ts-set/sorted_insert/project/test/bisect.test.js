import { describe, expect, test } from "vitest";
import { countInRange, indexOfSorted, insertSorted, lowerBound, upperBound } from "../src/bisect.js";

const items = [1, 3, 3, 3, 7, 9];

describe("bisect", () => {
  test("lowerBound finds the first equal item", () => {
    expect(lowerBound(items, 3)).toBe(1);
  });
  test("upperBound finds the item after the last equal one", () => {
    expect(upperBound(items, 3)).toBe(4);
  });
  test("bounds of a missing value are its insertion point", () => {
    expect([lowerBound(items, 5), upperBound(items, 5)]).toEqual([4, 4]);
    expect([lowerBound(items, 0), upperBound(items, 10)]).toEqual([0, 6]);
  });
  test("works on an empty array", () => {
    expect(lowerBound([], 1)).toBe(0);
  });
  test("inserts keeping order and stability", () => {
    const byAge = (a, b) => a.age - b.age;
    const people = [{ name: "a", age: 30 }, { name: "b", age: 40 }];
    insertSorted(people, { name: "c", age: 30 }, byAge);
    expect(people.map((p) => p.name)).toEqual(["a", "c", "b"]);
  });
  test("counts items in a closed range", () => {
    expect(countInRange(items, 3, 7)).toBe(4);
    expect(countInRange(items, 4, 6)).toBe(0);
  });
  test("finds an index or -1", () => {
    expect([indexOfSorted(items, 7), indexOfSorted(items, 8)]).toEqual([4, -1]);
  });
});
