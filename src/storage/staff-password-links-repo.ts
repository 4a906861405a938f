/**
 * One-time links to set a password (`staff_password_links`), stored as SHA-256 of the link's token.
 * Using a link and setting the password happen in one transaction, so a link works exactly once.
 */
import type { PasswordLinksRepo } from '../domain/staff/ports';
import type { Db } from './db';

export class PgPasswordLinksRepo implements PasswordLinksRepo {
  constructor(private readonly db: Db) {}

  async create(l: { userId: string; tokenHash: string; createdBy: string | null; now: Date; expiresAt: Date }): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query('UPDATE staff_password_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [l.userId, l.now]);
      await q.query('INSERT INTO staff_password_links (token_hash, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [l.tokenHash, l.userId, l.createdBy, l.now, l.expiresAt]);
    });
  }

  async peek(tokenHash: string, now: Date): Promise<{ userId: string } | null> {
    const r = await this.db.query<{ user_id: string }>(
      'SELECT user_id::text AS user_id FROM staff_password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
      [tokenHash, now],
    );
    return r.rows[0] ? { userId: r.rows[0].user_id } : null;
  }

  async consume(tokenHash: string, passwordHash: string, now: Date): Promise<{ userId: string } | null> {
    return this.db.tx(async (q) => {
      // The row update is the single-use guard: a concurrent second use waits, then matches nothing.
      const r = await q.query<{ user_id: string }>(
        'UPDATE staff_password_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id::text AS user_id',
        [tokenHash, now],
      );
      const row = r.rows[0];
      if (!row) return null;
      await q.query('UPDATE staff_password_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [row.user_id, now]);
      await q.query('UPDATE staff_users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $1', [row.user_id, passwordHash, now]);
      return { userId: row.user_id };
    });
  }
}
