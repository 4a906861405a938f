/**
 * Token bucket for Zalo's app-wide request budget (4,000 requests/minute, reference §6.1). It only
 * sees this process; `-32` answers remain the cross-process backstop.
 */
export interface TokenBucketOptions {
  readonly perMinute: number;
  /** Largest burst; default a tenth of a minute's budget (at least 1). */
  readonly burst?: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export class TokenBucket {
  private readonly perMs: number;
  private readonly capacity: number;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  /** Waiters are served in order so a burst cannot starve an earlier caller. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: TokenBucketOptions) {
    if (!(o.perMinute > 0)) throw new Error(`requestsPerMinute must be positive, got ${o.perMinute}`);
    this.perMs = o.perMinute / 60_000;
    this.capacity = Math.max(1, o.burst ?? Math.floor(o.perMinute / 10));
    this.tokens = this.capacity;
    this.last = o.now();
  }

  /** Waits until one request may go out, then spends it. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops all requests until `untilMs` (Zalo said the budget is used up: `X-RateLimit-Remain: 0`). */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      const now = this.o.now();
      if (now < this.pausedUntil) {
        await this.o.sleep(this.pausedUntil - now);
        continue;
      }
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.o.sleep(Math.max(1, Math.ceil((1 - this.tokens) / this.perMs)));
    }
  }
}
