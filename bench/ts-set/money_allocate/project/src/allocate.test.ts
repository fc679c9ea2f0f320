import { describe, expect, test } from "vitest";
import { allocate, splitEvenly } from "./allocate";
import { formatCents, parseCents } from "./format";

describe("allocate", () => {
  test("splits by ratios without losing a cent", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
  test("gives leftover cents to the largest remainders", () => {
    expect(allocate(1000, [3, 7])).toEqual([300, 700]);
    expect(allocate(100, [1, 2, 4])).toEqual([14, 29, 57]);
  });
  test("keeps the sign of a refund", () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });
  test("rejects ratios that are all zero", () => {
    expect(() => allocate(100, [0, 0])).toThrow(RangeError);
  });
  test("a zero ratio gets nothing", () => {
    expect(allocate(99, [1, 0, 2])).toEqual([33, 0, 66]);
  });
  test("splitEvenly sums to the amount", () => {
    const parts = splitEvenly(1001, 4);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(parts).toEqual([251, 250, 250, 250]);
  });
});

describe("format", () => {
  test("formats with thousands separators", () => {
    expect(formatCents(123456789)).toBe("$1,234,567.89");
  });
  test("formats small and negative amounts", () => {
    expect(formatCents(5)).toBe("$0.05");
    expect(formatCents(-1999, "€")).toBe("-€19.99");
  });
  test("parses what it formats", () => {
    expect(parseCents("$1,234.5")).toBe(123450);
    expect(parseCents("-0.07")).toBe(-7);
  });
  test("rejects text that is not an amount", () => {
    expect(() => parseCents("12.345")).toThrow(SyntaxError);
  });
});
