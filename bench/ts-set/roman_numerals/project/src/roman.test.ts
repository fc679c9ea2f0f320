import { describe, expect, test } from "vitest";
import { fromRoman, toRoman } from "./roman";

describe("roman numerals", () => {
  test("writes additive numerals", () => {
    expect([1, 3, 8, 27, 1666].map(toRoman)).toEqual(["I", "III", "VIII", "XXVII", "MDCLXVI"]);
  });
  test("writes subtractive numerals", () => {
    expect([4, 9, 40, 90, 400, 900, 1994].map(toRoman)).toEqual(["IV", "IX", "XL", "XC", "CD", "CM", "MCMXCIV"]);
  });
  test("refuses numbers out of range", () => {
    expect(() => toRoman(0)).toThrow(RangeError);
    expect(() => toRoman(4000)).toThrow(RangeError);
  });
  test("reads numerals back", () => {
    expect(["MMXXIV", "xlii", "CDXLIV"].map(fromRoman)).toEqual([2024, 42, 444]);
  });
  test("round-trips every number", () => {
    for (let n = 1; n < 4000; n += 7) expect(fromRoman(toRoman(n))).toBe(n);
  });
  test("refuses non-canonical spellings", () => {
    for (const bad of ["IIII", "VV", "IC", "MMMM"]) expect(() => fromRoman(bad)).toThrow(SyntaxError);
  });
  test("refuses other letters", () => {
    expect(() => fromRoman("XIZ")).toThrow("not a roman digit: Z");
  });
});
