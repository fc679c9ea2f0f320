'use strict';
/** Entries expire `ttlMs` after they were set: at exactly that moment they are gone. The clock
 * is passed in so tests need no timers. */

class TtlCache {
  constructor({ ttlMs, clock = Date.now, maxEntries = Infinity }) {
    if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.ttlMs = ttlMs;
    this.clock = clock;
    this.maxEntries = maxEntries;
    this.entries = new Map();
  }

  set(key, value, ttlMs = this.ttlMs) {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.clock() + ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value);
  }

  isExpired(entry) {
    return this.clock() >= entry.expires;
  }

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.isExpired(entry)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key) {
    return this.get(key) !== undefined;
  }

  prune() {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (this.isExpired(entry)) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async getOrLoad(key, load) {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const value = await load(key);
    this.set(key, value);
    return value;
  }
}

module.exports = { TtlCache };
