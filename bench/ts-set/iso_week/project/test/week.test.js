import { describe, expect, test } from "vitest";
import { formatIsoWeek, isoWeek, isoWeekday, mondayOfWeek, utcDate } from "../src/week.js";

describe("ISO weeks", () => {
  test("numbers weekdays from Monday", () => {
    expect([utcDate(2024, 1, 1), utcDate(2024, 1, 7)].map(isoWeekday)).toEqual([1, 7]);
  });
  test("puts a mid-year date in its week", () => {
    expect(isoWeek(utcDate(2024, 6, 12))).toEqual({ year: 2024, week: 24 });
  });
  test("a Sunday belongs to the week that started on Monday", () => {
    expect(isoWeek(utcDate(2024, 3, 10))).toEqual({ year: 2024, week: 10 });
  });
  test("early January can belong to the previous year", () => {
    expect(isoWeek(utcDate(2021, 1, 3))).toEqual({ year: 2020, week: 53 });
  });
  test("late December can belong to the next year", () => {
    expect(isoWeek(utcDate(2024, 12, 30))).toEqual({ year: 2025, week: 1 });
  });
  test("formats the week date", () => {
    expect(formatIsoWeek(utcDate(2023, 1, 1))).toBe("2022-W52-7");
  });
  test("finds the Monday of a week", () => {
    expect(mondayOfWeek(2025, 1).toISOString().slice(0, 10)).toBe("2024-12-30");
    expect(mondayOfWeek(2024, 24).toISOString().slice(0, 10)).toBe("2024-06-10");
  });
});
