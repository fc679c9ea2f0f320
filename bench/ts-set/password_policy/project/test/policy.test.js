import { describe, expect, test } from "vitest";
import { characterClasses, check, entropyBits, longestRepeat } from "../src/policy.js";

describe("password policy", () => {
  test("accepts a strong password", () => {
    expect(check("Correct-Horse-9")).toEqual({ ok: true, problems: [] });
  });
  test("asks for length", () => {
    expect(check("Ab1!").problems).toEqual(["at least 12 characters"]);
  });
  test("accepts a password of exactly the minimum length", () => {
    expect(check("Abcdefgh1!xy").ok).toBe(true);
  });
  test("counts kinds of character", () => {
    expect([characterClasses("abc"), characterClasses("aB3$")]).toEqual([1, 4]);
  });
  test("finds runs of one character", () => {
    expect(longestRepeat("abbbcdd")).toBe(3);
    expect(check("Aaaaa-1357913").problems).toEqual(["no character more than 3 times in a row"]);
  });
  test("refuses common words in any case", () => {
    expect(check("My-PassWord-2024").problems).toEqual(['not "password"']);
  });
  test("estimates entropy", () => {
    expect(entropyBits("abcd")).toBe(19);
    expect(entropyBits("")).toBe(0);
  });
});
