'use strict';
/** A binary heap: the item for which `before(a, b)` holds against all others comes out first.
 * Items of equal priority come out in insertion order (each carries a sequence number). */

class PriorityQueue {
  constructor(before = (a, b) => a < b) {
    this.before = before;
    this.items = [];
    this.sequence = 0;
  }

  get size() {
    return this.items.length;
  }

  higher(i, j) {
    const a = this.items[i];
    const b = this.items[j];
    if (this.before(a.value, b.value)) return true;
    if (this.before(b.value, a.value)) return false;
    return a.seq < b.seq;
  }

  swap(i, j) {
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }

  push(value) {
    this.items.push({ value, seq: this.sequence++ });
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.higher(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek() {
    return this.items.length ? this.items[0].value : undefined;
  }

  pop() {
    if (!this.items.length) return undefined;
    const top = this.items[0].value;
    const last = this.items.pop();
    if (this.items.length) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < this.items.length && this.higher(left, best)) best = left;
        if (right < this.items.length && this.higher(right, best)) best = right;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  drain() {
    const out = [];
    while (this.size) out.push(this.pop());
    return out;
  }
}

module.exports = { PriorityQueue };
