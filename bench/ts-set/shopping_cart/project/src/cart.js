/** A cart of lines in integer cents. Coupons: a percentage off the subtotal, or a fixed amount
 * off; shipping is free from a threshold, measured after the discount. */

export const FREE_SHIPPING_FROM = 5000;
export const SHIPPING = 495;

export class Cart {
  lines = new Map();

  add(sku, unitCents, quantity = 1) {
    if (!Number.isInteger(unitCents) || unitCents < 0) throw new RangeError("price must be whole cents");
    const line = this.lines.get(sku);
    if (line) line.quantity += quantity;
    else this.lines.set(sku, { unitCents, quantity });
    return this;
  }

  remove(sku, quantity = Infinity) {
    const line = this.lines.get(sku);
    if (!line) return this;
    line.quantity -= quantity;
    if (line.quantity <= 0) this.lines.delete(sku);
    return this;
  }

  subtotal() {
    let sum = 0;
    for (const { unitCents, quantity } of this.lines.values()) sum += unitCents * quantity;
    return sum;
  }

  discount(coupon) {
    if (!coupon) return 0;
    const subtotal = this.subtotal();
    if (coupon.percent !== undefined) return Math.round((subtotal * coupon.percent) / 100);
    return Math.min(coupon.cents, subtotal);
  }

  total(coupon) {
    const afterDiscount = this.subtotal() - this.discount(coupon);
    const shipping = afterDiscount >= FREE_SHIPPING_FROM || afterDiscount === 0 ? 0 : SHIPPING;
    return { afterDiscount, shipping, total: afterDiscount + shipping };
  }
}
