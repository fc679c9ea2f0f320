/** A token bucket: `capacity` tokens, refilled at `ratePerSecond`; the clock is passed in. */

export type Clock = () => number; // milliseconds

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly ratePerSecond: number,
    private readonly clock: Clock = Date.now,
  ) {
    if (capacity <= 0 || ratePerSecond <= 0) throw new RangeError("capacity and rate must be positive");
    this.tokens = capacity;
    this.last = clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = (now - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.last = now;
  }

  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  tryTake(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Milliseconds until `count` tokens will be there (0 when they already are). */
  waitTime(count = 1): number {
    this.refill();
    if (count > this.capacity) return Infinity;
    const missing = count - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.ratePerSecond) * 1000);
  }
}
