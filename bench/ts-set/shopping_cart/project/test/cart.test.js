import { describe, expect, it } from "vitest";
import { Cart, SHIPPING } from "../src/cart.js";

describe("Cart", () => {
  it("adds one unit by default", () => {
    expect(new Cart().add("pen", 150).subtotal()).toBe(150);
  });
  it("merges lines of the same sku", () => {
    const cart = new Cart().add("pen", 150, 2).add("pen", 150, 3);
    expect(cart.lines.get("pen").quantity).toBe(5);
    expect(cart.subtotal()).toBe(750);
  });
  it("removes some or all units", () => {
    const cart = new Cart().add("pen", 150, 3).add("ink", 900);
    cart.remove("pen", 1).remove("ink");
    expect([...cart.lines.keys()]).toEqual(["pen"]);
    expect(cart.subtotal()).toBe(300);
  });
  it("applies a percentage coupon, rounded to the cent", () => {
    const cart = new Cart().add("book", 1999);
    expect(cart.discount({ percent: 15 })).toBe(300);
  });
  it("never discounts more than the subtotal", () => {
    expect(new Cart().add("pen", 150).discount({ cents: 1000 })).toBe(150);
  });
  it("charges shipping below the threshold", () => {
    expect(new Cart().add("book", 1999).total()).toEqual({ afterDiscount: 1999, shipping: SHIPPING, total: 2494 });
  });
  it("ships free from the threshold, after the discount", () => {
    const cart = new Cart().add("lamp", 5000);
    expect(cart.total().shipping).toBe(0);
    expect(cart.total({ cents: 1 }).shipping).toBe(SHIPPING);
  });
  it("refuses fractional cents", () => {
    expect(() => new Cart().add("x", 1.5)).toThrow(RangeError);
  });
});
