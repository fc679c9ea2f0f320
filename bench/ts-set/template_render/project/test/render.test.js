import { describe, expect, test } from "vitest";
import { escapeHtml } from "../src/escape.js";
import { lookup, render } from "../src/render.js";

describe("render", () => {
  test("fills names", () => {
    expect(render("Hi {{ name }}!", { name: "Ada" })).toBe("Hi Ada!");
  });
  test("shows zero and false as they are", () => {
    expect(render("{{ n }} items, done: {{ done }}", { n: 0, done: false })).toBe("0 items, done: false");
  });
  test("follows dotted paths", () => {
    expect(render("{{user.address.city}}", { user: { address: { city: "Oslo" } } })).toBe("Oslo");
  });
  test("escapes HTML by default", () => {
    expect(render("<p>{{ bio }}</p>", { bio: '<b>"Tom" & Jerry</b>' }))
      .toBe("<p>&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;</p>");
  });
  test("leaves triple braces raw", () => {
    expect(render("{{{ html }}}", { html: "<br>" })).toBe("<br>");
  });
  test("uses the fallback for a missing value", () => {
    expect(render("{{ title | Untitled }}", {})).toBe("Untitled");
    expect(render("{{ count | 0 }}", { count: 0 })).toBe("0");
  });
  test("leaves a missing value empty, or throws when strict", () => {
    expect(render("[{{ gone }}]", {})).toBe("[]");
    expect(() => render("{{ gone }}", {}, { strict: true })).toThrow(ReferenceError);
  });
  test("lookup stops at a missing link", () => {
    expect(lookup({ a: null }, "a.b.c")).toBeUndefined();
  });
  test("escapes single quotes for attributes", () => {
    expect(escapeHtml("it's")).toBe("it&#39;s");
  });
});
