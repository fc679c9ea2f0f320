import { describe, expect, test } from "vitest";
import { determinant, identity, multiply, shape, transpose } from "../src/matrix.js";

const a = [[1, 2, 3], [4, 5, 6]];

describe("matrix", () => {
  test("reports its shape", () => {
    expect(shape(a)).toEqual([2, 3]);
  });
  test("transposes a rectangular matrix", () => {
    expect(transpose(a)).toEqual([[1, 4], [2, 5], [3, 6]]);
  });
  test("multiplies by its transpose", () => {
    expect(multiply(a, transpose(a))).toEqual([[14, 32], [32, 77]]);
  });
  test("multiplying by the identity changes nothing", () => {
    expect(multiply(a, identity(3))).toEqual(a);
  });
  test("refuses mismatched shapes", () => {
    expect(() => multiply(a, a)).toThrow("cannot multiply 2x3 by 2x3");
  });
  test("computes determinants", () => {
    expect(determinant([[3, 8], [4, 6]])).toBe(-14);
    expect(determinant([[6, 1, 1], [4, -2, 5], [2, 8, 7]])).toBe(-306);
    expect(determinant(identity(4))).toBe(1);
  });
});
