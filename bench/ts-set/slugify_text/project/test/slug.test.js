import { describe, expect, it } from "vitest";
import { slugify, uniqueSlug } from "../src/slug.js";

describe("slugify", () => {
  it("lowercases and joins words", () => {
    expect(slugify("Hello World")).toBe("hello-world");
  });
  it("folds accents", () => {
    expect(slugify("Crème Brûlée à Paris")).toBe("creme-brulee-a-paris");
  });
  it("spells out special letters", () => {
    expect(slugify("Straße & Søn")).toBe("strasse-and-son");
  });
  it("trims separators at both ends", () => {
    expect(slugify("  --Hello, World!--  ")).toBe("hello-world");
  });
  it("uses another separator", () => {
    expect(slugify("a b.c", { separator: "_" })).toBe("a_b_c");
  });
  it("cuts long slugs at a word boundary", () => {
    expect(slugify("one two three four", { maxLength: 12 })).toBe("one-two");
  });
});

describe("uniqueSlug", () => {
  it("numbers a slug that is taken", () => {
    expect(uniqueSlug("News", new Set(["news", "news-2"]))).toBe("news-3");
    expect(uniqueSlug("Fresh", new Set(["news"]))).toBe("fresh");
  });
});
