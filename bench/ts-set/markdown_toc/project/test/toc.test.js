import { describe, expect, test } from "vitest";
import { anchorFor, headings, tableOfContents } from "../src/toc.js";

describe("anchors", () => {
  test("lowercase words joined by dashes", () => {
    expect(anchorFor("Getting Started")).toBe("getting-started");
  });
  test("punctuation is dropped, letters kept", () => {
    expect(anchorFor("What's new in v2.0?")).toBe("whats-new-in-v20");
    expect(anchorFor("Über uns")).toBe("über-uns");
  });
});

describe("headings", () => {
  test("reads levels and strips closing hashes", () => {
    expect(headings("# Top\n## Sub ##\ntext")).toEqual([{ level: 1, title: "Top" }, { level: 2, title: "Sub" }]);
  });
  test("skips headings inside code fences", () => {
    expect(headings("## Real\n```\n## Fake\n```\n## Also real")).toHaveLength(2);
  });
});

describe("tableOfContents", () => {
  const doc = "# Title\n## Install\n### From npm\n## Usage\n### Options\n## Usage\n#### Deep";
  test("lists levels two and three, indented", () => {
    expect(tableOfContents(doc).split("\n").slice(0, 3)).toEqual([
      "- [Install](#install)", "  - [From npm](#from-npm)", "- [Usage](#usage)",
    ]);
  });
  test("numbers repeated anchors", () => {
    expect(tableOfContents(doc).split("\n").at(-1)).toBe("- [Usage](#usage-1)");
  });
  test("takes other levels when asked", () => {
    expect(tableOfContents(doc, { minLevel: 1, maxLevel: 1 })).toBe("- [Title](#title)");
  });
});
