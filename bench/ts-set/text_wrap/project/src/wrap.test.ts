import { describe, expect, test } from "vitest";
import { indent, truncate, wrap } from "./wrap";

describe("wrap", () => {
  test("breaks between words", () => {
    expect(wrap("the quick brown fox jumps", 10)).toEqual(["the quick", "brown fox", "jumps"]);
  });
  test("fills a line exactly to the width", () => {
    expect(wrap("aaaa bbbbb cc", 10)).toEqual(["aaaa bbbbb", "cc"]);
  });
  test("splits a word longer than the width", () => {
    expect(wrap("abcdefghij xy", 4)).toEqual(["abcd", "efgh", "ij", "xy"]);
  });
  test("collapses runs of whitespace", () => {
    expect(wrap("  a \n\n b  ", 80)).toEqual(["a b"]);
  });
  test("returns no lines for empty text", () => {
    expect(wrap("", 5)).toEqual([]);
  });
  test("indents with a hanging first line", () => {
    expect(indent(["one", "two"], "   ", " - ")).toEqual([" - one", "   two"]);
  });
  test("truncates with an ellipsis", () => {
    expect(truncate("hello world", 8)).toBe("hello w…");
    expect(truncate("short", 8)).toBe("short");
  });
});
