import { describe, expect, test } from "vitest";
import { History } from "../src/history.js";

describe("History", () => {
  test("undoes and redoes", () => {
    const h = new History("a");
    h.push("ab");
    h.push("abc");
    h.undo();
    expect(h.present).toBe("ab");
    h.redo();
    expect(h.present).toBe("abc");
  });
  test("undo at the start does nothing", () => {
    const h = new History("a");
    expect(h.undo()).toBe(false);
    expect(h.present).toBe("a");
  });
  test("a new change after an undo drops the redo branch", () => {
    const h = new History("a");
    h.push("ab");
    h.undo();
    h.push("ax");
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe(false);
    expect(h.present).toBe("ax");
  });
  test("pushing the same state records nothing", () => {
    const h = new History("a");
    expect(h.push("a")).toBe(false);
    expect(h.canUndo).toBe(false);
  });
  test("keeps at most the limit", () => {
    const h = new History(0, { limit: 3 });
    for (let i = 1; i <= 5; i++) h.push(i);
    let undos = 0;
    while (h.undo()) undos++;
    expect([undos, h.present]).toEqual([3, 2]);
  });
});
