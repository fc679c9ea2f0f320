import { describe, expect, test } from "vitest";
import { compare, maxSatisfying, parse, sortVersions } from "./semver";

describe("semver", () => {
  test("parses the parts", () => {
    expect(parse("v1.2.3-beta.4+build.5")).toEqual({ major: 1, minor: 2, patch: 3, prerelease: ["beta", 4] });
  });
  test("rejects leading zeros", () => {
    expect(() => parse("1.02.3")).toThrow(SyntaxError);
  });
  test("compares numerically, not as text", () => {
    expect(compare("1.10.0", "1.9.0")).toBe(1);
    expect(compare("2.0.0", "10.0.0")).toBe(-1);
  });
  test("a release ranks above its prerelease", () => {
    expect(compare("1.0.0", "1.0.0-rc.1")).toBe(1);
    expect(compare("1.0.0-rc.1", "1.0.0")).toBe(-1);
  });
  test("ignores build metadata", () => {
    expect(compare("1.0.0+a", "1.0.0+b")).toBe(0);
  });
  test("orders prereleases as the spec says", () => {
    const spec = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
      "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
    expect(sortVersions([...spec].reverse())).toEqual(spec);
  });
  test("finds the highest version at or above a floor", () => {
    expect(maxSatisfying(["1.2.0", "1.10.1", "0.9.9"], "1.0.0")).toBe("1.10.1");
    expect(maxSatisfying(["0.1.0"], "1.0.0")).toBeUndefined();
  });
});
