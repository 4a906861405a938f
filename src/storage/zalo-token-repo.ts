/**
 * PostgreSQL {@link TokenStore} for the Zalo OA token pair (table `zalo_tokens`).
 *
 * A refresh runs inside one transaction holding `pg_advisory_xact_lock` for the OA, so across all
 * processes only one refresh happens per stale token, and the new pair is committed before anyone
 * uses it. Tokens are secrets: this module never logs them.
 */
import type { TokenStore, ZaloTokenPair } from '../clients/zalo-oa/types';
import type { Db, Queryable } from './db';

/** First key of the two-int advisory lock; the second is hashtext(oa_id). Arbitrary, stable. */
const LOCK_CLASS = 7_201_102;

interface TokenRow {
  access_token: string | null;
  refresh_token: string;
  expires_at: Date | null;
}

export class PgZaloTokenStore implements TokenStore {
  constructor(private readonly db: Db) {}

  async load(oaId: string): Promise<ZaloTokenPair | null> {
    return read(this.db, oaId, false);
  }

  async save(oaId: string, pair: ZaloTokenPair): Promise<void> {
    await write(this.db, oaId, pair, false);
  }

  async refreshLocked(
    oaId: string,
    staleAccessToken: string | null,
    doRefresh: (current: ZaloTokenPair | null) => Promise<ZaloTokenPair>,
  ): Promise<ZaloTokenPair> {
    return this.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, oaId]);
      const stored = await read(q, oaId, true);
      if (stored !== null && stored.accessToken !== null && stored.accessToken !== staleAccessToken) return stored;
      const next = await doRefresh(stored);
      await write(q, oaId, next, true);
      return next;
    });
  }

  /** How many refreshes have been saved for the OA (operations insight; 0 when none). */
  async refreshCount(oaId: string): Promise<number> {
    const r = await this.db.query<{ refresh_count: number }>('SELECT refresh_count FROM zalo_tokens WHERE oa_id = $1', [oaId]);
    return r.rows[0]?.refresh_count ?? 0;
  }
}

async function read(q: Queryable, oaId: string, forUpdate: boolean): Promise<ZaloTokenPair | null> {
  const r = await q.query<TokenRow>(
    `SELECT access_token, refresh_token, expires_at FROM zalo_tokens WHERE oa_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [oaId],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return { accessToken: row.access_token, refreshToken: row.refresh_token, expiresAt: row.expires_at === null ? null : new Date(row.expires_at) };
}

async function write(q: Queryable, oaId: string, pair: ZaloTokenPair, refreshed: boolean): Promise<void> {
  await q.query(
    `INSERT INTO zalo_tokens (oa_id, access_token, refresh_token, expires_at, updated_at, refresh_count)
     VALUES ($1, $2, $3, $4, now(), $5)
     ON CONFLICT (oa_id) DO UPDATE SET
       access_token = EXCLUDED.access_token,
       refresh_token = EXCLUDED.refresh_token,
       expires_at = EXCLUDED.expires_at,
       updated_at = now(),
       refresh_count = zalo_tokens.refresh_count + $5`,
    [oaId, pair.accessToken, pair.refreshToken, pair.expiresAt, refreshed ? 1 : 0],
  );
}
