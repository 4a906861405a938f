/**
 * Bottender session store backed by PostgreSQL (`bot_sessions`). Registered as a custom driver.
 * Sessions only hold conversation state (locale, step, last offered choices); drafts and reports
 * live in their own tables.
 */
import type Session from 'bottender/dist/session/Session';
import type SessionStore from 'bottender/dist/session/SessionStore';
import type { Queryable } from './db';

export class PgSessionStore implements SessionStore {
  /** @param expiresInMinutes sessions idle longer than this read as missing; 0 = never. */
  constructor(private readonly db: Queryable, private readonly expiresInMinutes = 0) {}

  async init(): Promise<this> {
    return this;
  }

  async read(key: string): Promise<Session | null> {
    const r = await this.db.query<{ data: Session; last_activity: Date }>(
      'SELECT data, last_activity FROM bot_sessions WHERE id = $1',
      [key],
    );
    const row = r.rows[0];
    if (!row) return null;
    if (this.expiresInMinutes > 0 && Date.now() - row.last_activity.getTime() > this.expiresInMinutes * 60_000) return null;
    return row.data;
  }

  async all(): Promise<Session[]> {
    const r = await this.db.query<{ data: Session }>('SELECT data FROM bot_sessions');
    return r.rows.map((x) => x.data);
  }

  async write(key: string, sess: Session): Promise<void> {
    await this.db.query(
      `INSERT INTO bot_sessions (id, data, last_activity) VALUES ($1, $2, now())
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, last_activity = now()`,
      [key, JSON.stringify(sess)],
    );
  }

  async destroy(key: string): Promise<void> {
    await this.db.query('DELETE FROM bot_sessions WHERE id = $1', [key]);
  }
}
