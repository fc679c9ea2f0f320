import { describe, expect, test } from "vitest";
import { intersect, merge, totalLength } from "./intervals";

describe("merge", () => {
  test("keeps separate intervals apart", () => {
    expect(merge([[5, 6], [1, 2]])).toEqual([[1, 2], [5, 6]]);
  });
  test("merges overlapping intervals", () => {
    expect(merge([[1, 4], [2, 6], [8, 10]])).toEqual([[1, 6], [8, 10]]);
  });
  test("merges intervals that touch", () => {
    expect(merge([[1, 3], [3, 5]])).toEqual([[1, 5]]);
  });
  test("swallows a contained interval", () => {
    expect(merge([[1, 10], [2, 3]])).toEqual([[1, 10]]);
  });
  test("rejects a reversed interval", () => {
    expect(() => merge([[3, 1]])).toThrow(RangeError);
  });
});

describe("measure", () => {
  test("counts overlapping time once", () => {
    expect(totalLength([[0, 30], [15, 45], [60, 90]])).toBe(75);
  });
  test("intersects two calendars", () => {
    expect(intersect([[0, 10], [20, 30]], [[5, 25]])).toEqual([[5, 10], [20, 25]]);
  });
});
