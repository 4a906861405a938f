/**
 * A counting semaphore: at most `slots` holders at once, the rest wait in arrival order.
 */
export class Semaphore {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots <= 0) {
      throw new TypeError(`Semaphore: slots must be a positive integer, got ${slots}`);
    }
  }

  /** Holders right now (for tests and gauges). */
  get inUse(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` once a slot is free, and frees the slot when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held < this.slots) this.held++;
    // The releasing holder hands its slot over directly, so `held` never dips and a newcomer cannot jump the queue.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    }
  }
}
