import { describe, expect, test } from "vitest";
import { lineNet, lineTax, roundHalfUp, totals, type Line } from "./invoice";

const line = (unitCents: number, quantity: number, taxBasisPoints: number, discountPercent?: number): Line => ({
  description: "item", unitCents, quantity, taxBasisPoints, discountPercent,
});

describe("invoice", () => {
  test("rounds half away from zero", () => {
    expect([roundHalfUp(2.5), roundHalfUp(2.4), roundHalfUp(-2.5)]).toEqual([3, 2, -3]);
  });
  test("multiplies unit price by quantity", () => {
    expect(lineNet(line(1999, 3, 0))).toBe(5997);
  });
  test("applies a percentage discount", () => {
    expect(lineNet(line(1000, 1, 0, 15))).toBe(850);
  });
  test("rounds a half cent of tax up", () => {
    expect(lineTax(line(250, 1, 1000))).toBe(25);
    expect(lineTax(line(5, 1, 1000))).toBe(1);
  });
  test("sums lines and groups tax by rate", () => {
    const result = totals([line(1000, 2, 2000), line(333, 3, 700), line(50, 1, 2000)]);
    expect(result).toEqual({ net: 3049, tax: 480, total: 3529, taxByRate: { 2000: 410, 700: 70 } });
  });
  test("rejects a negative quantity", () => {
    expect(() => totals([line(100, -1, 0)])).toThrow(RangeError);
  });
});
