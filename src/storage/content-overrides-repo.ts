/**
 * Content edited in the console (`content_overrides`), stored over the shipped files, and every
 * edit with its before and after (`content_history`), written in one transaction.
 */
import type { ContentHistoryEntry, ContentOverride, ContentOverridesRepo } from '../domain/content/content';
import type { Actor } from '../domain/staff/actor';
import type { Db } from './db';

export class PgContentOverridesRepo implements ContentOverridesRepo {
  constructor(private readonly db: Db) {}

  async all(): Promise<ContentOverride[]> {
    const r = await this.db.query<{ key: string; value: unknown; updated_at: Date }>('SELECT key, value, updated_at FROM content_overrides ORDER BY key');
    return r.rows.map((x) => ({ key: x.key, value: x.value, updatedAt: x.updated_at }));
  }

  async save(key: string, before: unknown, after: unknown, actor: Actor): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(
        `INSERT INTO content_overrides (key, value, updated_by_kind, updated_by_id) VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by_kind = EXCLUDED.updated_by_kind, updated_by_id = EXCLUDED.updated_by_id, updated_at = now()`,
        [key, JSON.stringify(after), actor.kind, actor.id],
      );
      await q.query('INSERT INTO content_history (key, before, after, actor_kind, actor_id) VALUES ($1, $2::jsonb, $3::jsonb, $4, $5)', [key, JSON.stringify(before), JSON.stringify(after), actor.kind, actor.id]);
    });
  }

  async remove(key: string, before: unknown, after: unknown, actor: Actor): Promise<boolean> {
    return this.db.tx(async (q) => {
      const r = await q.query('DELETE FROM content_overrides WHERE key = $1', [key]);
      if (r.rowCount !== 1) return false;
      await q.query('INSERT INTO content_history (key, before, after, reverted, actor_kind, actor_id) VALUES ($1, $2::jsonb, $3::jsonb, true, $4, $5)', [key, JSON.stringify(before), JSON.stringify(after), actor.kind, actor.id]);
      return true;
    });
  }

  async history(key: string, limit: number): Promise<ContentHistoryEntry[]> {
    const r = await this.db.query<{ id: string; key: string; before: unknown; after: unknown; reverted: boolean; actor_kind: Actor['kind']; actor_id: string | null; at: Date }>(
      'SELECT id, key, before, after, reverted, actor_kind, actor_id, at FROM content_history WHERE key = $1 ORDER BY id DESC LIMIT $2',
      [key, limit],
    );
    return r.rows.map((x) => ({ id: String(x.id), key: x.key, before: x.before, after: x.after, reverted: x.reverted, actor: { kind: x.actor_kind, id: x.actor_id }, at: x.at }));
  }

  async version(): Promise<string> {
    const r = await this.db.query<{ v: string | null }>('SELECT max(id)::text AS v FROM content_history');
    return r.rows[0]?.v ?? '0';
  }
}
