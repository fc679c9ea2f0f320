import { describe, expect, test } from "vitest";
import { parseQuery, stringifyQuery } from "./query";

describe("parseQuery", () => {
  test("reads simple pairs", () => {
    expect(parseQuery("?a=1&b=two")).toEqual({ a: "1", b: "two" });
  });
  test("collects repeated keys", () => {
    expect(parseQuery("tag=x&tag=y&tag=z")).toEqual({ tag: ["x", "y", "z"] });
  });
  test("decodes plus as a space", () => {
    expect(parseQuery("q=hello+world%21")).toEqual({ q: "hello world!" });
  });
  test("keeps a key without a value", () => {
    expect(parseQuery("flag&x=")).toEqual({ flag: "", x: "" });
  });
  test("keeps equals signs inside the value", () => {
    expect(parseQuery("expr=a%3Db=c")).toEqual({ expr: "a=b=c" });
  });
});

describe("stringifyQuery", () => {
  test("encodes spaces as plus", () => {
    expect(stringifyQuery({ q: "a b&c" })).toBe("q=a+b%26c");
  });
  test("repeats a key for each value, sorted when asked", () => {
    expect(stringifyQuery({ z: "1", a: ["x", "y"] }, true)).toBe("a=x&a=y&z=1");
  });
  test("round-trips", () => {
    const query = { name: "Zoë Ünal", tags: ["a+b", "c"] };
    expect(parseQuery(stringifyQuery(query))).toEqual(query);
  });
});
