/**
 * In-memory {@link TokenStore} for unit tests and the simulator. Several clients sharing one instance
 * behave like several processes sharing one database: refreshes are serialised per OA.
 */
import type { TokenStore, ZaloTokenPair } from './types';

export class InMemoryTokenStore implements TokenStore {
  private readonly rows = new Map<string, ZaloTokenPair>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly refreshes = new Map<string, number>();

  async load(oaId: string): Promise<ZaloTokenPair | null> {
    return this.rows.get(oaId) ?? null;
  }

  async save(oaId: string, pair: ZaloTokenPair): Promise<void> {
    this.rows.set(oaId, pair);
  }

  /** How many refreshes were saved for the OA (like `zalo_tokens.refresh_count`). */
  async refreshCount(oaId: string): Promise<number> {
    return this.refreshes.get(oaId) ?? 0;
  }

  refreshLocked(
    oaId: string,
    staleAccessToken: string | null,
    doRefresh: (current: ZaloTokenPair | null) => Promise<ZaloTokenPair>,
  ): Promise<ZaloTokenPair> {
    const previous = this.locks.get(oaId) ?? Promise.resolve();
    const run = previous.then(async () => {
      const stored = this.rows.get(oaId) ?? null;
      if (stored !== null && stored.accessToken !== null && stored.accessToken !== staleAccessToken) return stored;
      const next = await doRefresh(stored);
      this.rows.set(oaId, next);
      this.refreshes.set(oaId, (this.refreshes.get(oaId) ?? 0) + 1);
      return next;
    });
    this.locks.set(
      oaId,
      run.catch(() => undefined),
    );
    return run;
  }
}
