/**
 * Group commit for the inbox: webhook requests that arrive while an insert is in flight are stored
 * together in the next one (one statement, one commit), so under a burst the database does one
 * commit per group instead of one per request. An idle system sees no added wait: the first
 * request is written at once.
 */
export type InsertMany<T> = (items: readonly T[]) => Promise<boolean[]>;

interface Waiter<T> {
  readonly items: readonly T[];
  resolve(stored: boolean[]): void;
  reject(err: unknown): void;
}

export class GroupInsert<T> {
  private queue: Array<Waiter<T>> = [];
  private inFlight = 0;

  /**
   * @param insertMany stores items and tells, per item, whether it was new.
   * @param maxInFlight inserts running at once; further requests queue and go together.
   * @param maxItems cap on the items of one statement (bind parameters are limited).
   */
  constructor(
    private readonly insertMany: InsertMany<T>,
    private readonly maxInFlight = 2,
    private readonly maxItems = 500,
  ) {}

  /** Resolves, per item, whether it was new, once it is committed (or rejects if the insert failed). */
  insert(items: readonly T[]): Promise<boolean[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.flush();
    });
  }

  /**
   * Writes a group in one statement. If that fails and the group holds several requests, each is
   * tried alone, so one request the database refuses does not fail the others with it.
   */
  private async write(group: ReadonlyArray<Waiter<T>>): Promise<void> {
    try {
      const stored = await this.insertMany(group.flatMap((w) => w.items));
      let i = 0;
      for (const w of group) {
        w.resolve(stored.slice(i, i + w.items.length));
        i += w.items.length;
      }
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      for (const w of group) {
        try {
          w.resolve(await this.insertMany(w.items));
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group: Array<Waiter<T>> = [];
      let n = 0;
      while (this.queue.length > 0 && (group.length === 0 || n + this.queue[0]!.items.length <= this.maxItems)) {
        const w = this.queue.shift()!;
        group.push(w);
        n += w.items.length;
      }
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }
}
