/** Stock with reservations: a reservation holds units until it is committed or released. */

export class OutOfStock extends Error {}

export class Inventory {
  #onHand = new Map();
  #reservations = new Map();
  #nextId = 1;

  receive(sku, quantity) {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new RangeError("quantity must be a positive integer");
    this.#onHand.set(sku, (this.#onHand.get(sku) ?? 0) + quantity);
  }

  reserved(sku) {
    let total = 0;
    for (const r of this.#reservations.values()) if (r.sku === sku) total += r.quantity;
    return total;
  }

  available(sku) {
    return (this.#onHand.get(sku) ?? 0) - this.reserved(sku);
  }

  reserve(sku, quantity) {
    if (quantity > this.available(sku)) {
      throw new OutOfStock(`only ${this.available(sku)} of ${sku} available, ${quantity} asked`);
    }
    const id = this.#nextId++;
    this.#reservations.set(id, { sku, quantity });
    return id;
  }

  release(id) {
    return this.#reservations.delete(id);
  }

  commit(id) {
    const r = this.#reservations.get(id);
    if (!r) throw new Error(`no reservation ${id}`);
    this.#reservations.delete(id);
    this.#onHand.set(r.sku, this.#onHand.get(r.sku) - r.quantity);
  }

  onHand(sku) {
    return this.#onHand.get(sku) ?? 0;
  }
}
