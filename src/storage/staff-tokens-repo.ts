/**
 * Tokens of `POST /api/staff/v1/tokens` (`staff_tokens`), stored as SHA-256 of the random token.
 * Expired rows are removed when new tokens are issued.
 */
import type { StaffTokensRepo } from '../domain/staff/ports';
import type { Queryable } from './db';

export class PgStaffTokensRepo implements StaffTokensRepo {
  constructor(private readonly db: Queryable) {}

  async issue(t: { userId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.db.query('DELETE FROM staff_tokens WHERE expires_at <= $1', [t.now]);
    await this.db.query('INSERT INTO staff_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [t.tokenHash, t.userId, t.now, t.expiresAt]);
  }

  async findValid(tokenHash: string, now: Date): Promise<{ userId: string; expiresAt: Date } | null> {
    const r = await this.db.query<{ user_id: string; expires_at: Date }>('SELECT user_id::text AS user_id, expires_at FROM staff_tokens WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now]);
    const row = r.rows[0];
    return row ? { userId: row.user_id, expiresAt: row.expires_at } : null;
  }

  async revokeAllFor(userId: string): Promise<number> {
    const r = await this.db.query('DELETE FROM staff_tokens WHERE user_id = $1', [userId]);
    return r.rowCount ?? 0;
  }
}
