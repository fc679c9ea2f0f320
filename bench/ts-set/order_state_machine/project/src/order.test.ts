import { describe, expect, test } from "vitest";
import { allowedEvents, isFinal, next, replay, TransitionError } from "./order";

describe("order state machine", () => {
  test("follows the happy path", () => {
    expect(replay(["place", "pay", "ship", "deliver"])).toEqual([
      "cart", "placed", "paid", "shipped", "delivered",
    ]);
  });
  test("cancelling a placed order cancels it", () => {
    expect(next("placed", "cancel")).toBe("cancelled");
  });
  test("cancelling a paid order refunds it", () => {
    expect(next("paid", "cancel")).toBe("refunded");
  });
  test("a delivered order can be refunded", () => {
    expect(next("delivered", "refund")).toBe("refunded");
  });
  test("refuses to ship an unpaid order", () => {
    expect(() => next("placed", "ship")).toThrow(TransitionError);
  });
  test("refuses to cancel a shipped order", () => {
    expect(() => next("shipped", "cancel")).toThrow("cannot cancel an order that is shipped");
  });
  test("knows the final states", () => {
    expect(isFinal("cancelled")).toBe(true);
    expect(isFinal("refunded")).toBe(true);
    expect(isFinal("delivered")).toBe(false);
  });
  test("lists what may happen next", () => {
    expect(allowedEvents("paid").sort()).toEqual(["cancel", "ship"]);
  });
});
