import { beforeEach, describe, expect, test } from "vitest";
import { Inventory, OutOfStock } from "../src/inventory.js";

describe("Inventory", () => {
  let stock;
  beforeEach(() => {
    stock = new Inventory();
    stock.receive("mug", 5);
  });

  test("reserving lowers what is available", () => {
    stock.reserve("mug", 2);
    expect(stock.available("mug")).toBe(3);
    expect(stock.onHand("mug")).toBe(5);
  });
  test("can reserve the last unit", () => {
    stock.reserve("mug", 4);
    expect(() => stock.reserve("mug", 1)).not.toThrow();
    expect(stock.available("mug")).toBe(0);
  });
  test("refuses more than is available", () => {
    stock.reserve("mug", 4);
    expect(() => stock.reserve("mug", 2)).toThrow(OutOfStock);
  });
  test("releasing gives the units back", () => {
    const id = stock.reserve("mug", 5);
    expect(stock.release(id)).toBe(true);
    expect(stock.available("mug")).toBe(5);
  });
  test("committing takes the units off the shelf", () => {
    const id = stock.reserve("mug", 3);
    stock.commit(id);
    expect([stock.onHand("mug"), stock.available("mug")]).toEqual([2, 2]);
  });
  test("an unknown sku has nothing", () => {
    expect(() => stock.reserve("plate", 1)).toThrow("only 0 of plate available, 1 asked");
  });
  test("refuses a fractional delivery", () => {
    expect(() => stock.receive("mug", 1.5)).toThrow(RangeError);
  });
});
