import { describe, expect, test } from "vitest";
import { Emitter } from "./emitter";

type Events = { saved: { id: number }; closed: undefined };

describe("Emitter", () => {
  test("calls listeners in the order added", () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on("saved", ({ id }) => seen.push(`a${id}`));
    emitter.on("saved", ({ id }) => seen.push(`b${id}`));
    expect(emitter.emit("saved", { id: 1 })).toBe(2);
    expect(seen).toEqual(["a1", "b1"]);
  });
  test("runs a once listener one time", () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    emitter.once("closed", () => count++);
    emitter.emit("closed", undefined);
    emitter.emit("closed", undefined);
    expect(count).toBe(1);
    expect(emitter.listenerCount("closed")).toBe(0);
  });
  test("unsubscribes with the returned handle", () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    const off = emitter.on("closed", () => count++);
    off();
    emitter.emit("closed", undefined);
    expect(count).toBe(0);
  });
  test("a listener added while emitting waits for the next emit", () => {
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    emitter.on("saved", ({ id }) => {
      seen.push(id);
      if (id === 1) emitter.on("saved", (p) => seen.push(p.id * 10));
    });
    emitter.emit("saved", { id: 1 });
    emitter.emit("saved", { id: 2 });
    expect(seen).toEqual([1, 2, 20]);
  });
  test("emitting with no listeners is harmless", () => {
    expect(new Emitter<Events>().emit("closed", undefined)).toBe(0);
  });
});
