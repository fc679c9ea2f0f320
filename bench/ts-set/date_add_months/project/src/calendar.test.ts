import { describe, expect, it } from "vitest";
import { addMonths, daysInMonth, formatDate, isLeapYear, parseDate } from "./calendar";

const plus = (text: string, months: number) => formatDate(addMonths(parseDate(text), months));

describe("calendar", () => {
  it("knows leap years", () => {
    expect([1900, 2000, 2024, 2023].map(isLeapYear)).toEqual([false, true, true, false]);
  });
  it("counts days in each month", () => {
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
  });
  it("adds months within a year", () => {
    expect(plus("2024-03-15", 2)).toBe("2024-05-15");
  });
  it("rolls over the year", () => {
    expect(plus("2023-11-30", 3)).toBe("2024-02-29");
  });
  it("subtracts months across a year", () => {
    expect(plus("2024-01-31", -2)).toBe("2023-11-30");
  });
  it("clamps to the end of a short month", () => {
    expect(plus("2023-01-31", 1)).toBe("2023-02-28");
  });
  it("rejects a day the month does not have", () => {
    expect(() => parseDate("2023-02-29")).toThrow(RangeError);
    expect(() => parseDate("2023-2-1")).toThrow(SyntaxError);
  });
});
