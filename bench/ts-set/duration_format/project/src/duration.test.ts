import { describe, expect, test } from "vitest";
import { humanize, parseDuration } from "./duration";

describe("humanize", () => {
  test("shows the two largest units by default", () => {
    expect(humanize(90_061_000)).toBe("1d 1h");
  });
  test("shows more units when asked", () => {
    expect(humanize(90_061_000, 4)).toBe("1d 1h 1m 1s");
  });
  test("skips units that are zero", () => {
    expect(humanize(3_600_500)).toBe("1h 500ms");
  });
  test("shows zero as 0s", () => {
    expect(humanize(0)).toBe("0s");
  });
  test("refuses negative durations", () => {
    expect(() => humanize(-1)).toThrow(RangeError);
  });
});

describe("parseDuration", () => {
  test("reads several units", () => {
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("2d3h")).toBe(183_600_000);
  });
  test("tells ms from m", () => {
    expect(parseDuration("1m 250ms")).toBe(60_250);
  });
  test("reads fractions", () => {
    expect(parseDuration("1.5s")).toBe(1500);
  });
  test("refuses junk", () => {
    expect(() => parseDuration("soon")).toThrow(SyntaxError);
    expect(() => parseDuration("5 minutes")).toThrow(SyntaxError);
  });
});
