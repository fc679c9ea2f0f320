import { describe, expect, test } from "vitest";
import { expandField } from "../src/field.js";
import { nextRun, parseCron } from "../src/schedule.js";

describe("expandField", () => {
  test("a star is every value", () => {
    expect(expandField("*", 0, 6)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  test("a range includes both ends", () => {
    expect(expandField("1-5", 0, 6)).toEqual([1, 2, 3, 4, 5]);
  });
  test("steps over a star or a range", () => {
    expect(expandField("*/15", 0, 59)).toEqual([0, 15, 30, 45]);
    expect(expandField("10-30/10", 0, 59)).toEqual([10, 20, 30]);
  });
  test("merges lists", () => {
    expect(expandField("30,1,15,1", 0, 59)).toEqual([1, 15, 30]);
  });
  test("refuses values out of range", () => {
    expect(() => expandField("60", 0, 59)).toThrow(RangeError);
    expect(() => expandField("*/0", 0, 59)).toThrow(SyntaxError);
  });
});

describe("nextRun", () => {
  test("needs five fields", () => {
    expect(() => parseCron("* * *")).toThrow(SyntaxError);
  });
  test("finds the next quarter hour", () => {
    expect(nextRun("*/15 * * * *", new Date("2024-05-01T10:07:30Z")).toISOString()).toBe("2024-05-01T10:15:00.000Z");
  });
  test("finds the next weekday morning", () => {
    expect(nextRun("0 9 * * 1-5", new Date("2024-05-03T09:00:00Z")).toISOString()).toBe("2024-05-06T09:00:00.000Z");
  });
});
