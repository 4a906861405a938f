/**
 * Bottender session store backed by PostgreSQL (`bot_sessions`). Registered as a custom driver.
 * Sessions only hold conversation state (locale, step, last offered choices); drafts and reports
 * live in their own tables.
 */
import type Session from 'bottender/dist/session/Session';
import type SessionStore from 'bottender/dist/session/SessionStore';
import type { Queryable } from './db';

/** An unchanged session is still written when its stored activity time is older than this. */
const ACTIVITY_REFRESH_MS = 5 * 60_000;
/** Bound on remembered reads (a read without a write, e.g. a failed turn, leaves one behind). */
const MAX_REMEMBERED = 10_000;

export class PgSessionStore implements SessionStore {
  /** What each session looked like when read (without `lastActivity`), to skip writing it back unchanged. */
  private readonly asRead = new Map<string, { body: string; at: number }>();

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
    if (this.asRead.size >= MAX_REMEMBERED) this.asRead.clear();
    this.asRead.set(key, { body: withoutActivity(row.data), at: row.last_activity.getTime() });
    return row.data;
  }

  async all(): Promise<Session[]> {
    const r = await this.db.query<{ data: Session }>('SELECT data FROM bot_sessions');
    return r.rows.map((x) => x.data);
  }

  /** Skips the write when the turn changed nothing but `lastActivity` and the stored time is recent. */
  async write(key: string, sess: Session): Promise<void> {
    const before = this.asRead.get(key);
    this.asRead.delete(key);
    if (before && Date.now() - before.at < ACTIVITY_REFRESH_MS && before.body === withoutActivity(sess)) return;
    await this.db.query(
      `INSERT INTO bot_sessions (id, data, last_activity) VALUES ($1, $2, now())
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, last_activity = now()`,
      [key, JSON.stringify(sess)],
    );
  }

  async destroy(key: string): Promise<void> {
    this.asRead.delete(key);
    await this.db.query('DELETE FROM bot_sessions WHERE id = $1', [key]);
  }
}

function withoutActivity(sess: Session): string {
  return JSON.stringify({ ...sess, lastActivity: undefined });
}
