import { DraftSchema, type Draft } from '../domain/reports/draft';
import type { DraftsRepo } from '../domain/reports/ports';
import type { Db } from './db';

/** Report drafts in PostgreSQL; every change is a short read-modify-write under `FOR UPDATE`. */
export class PgDraftsRepo implements DraftsRepo {
  constructor(private readonly db: Db) {}

  async get(residentId: string): Promise<Draft | null> {
    const r = await this.db.query<{ data: unknown }>('SELECT data FROM report_drafts WHERE resident_id = $1', [residentId]);
    return r.rows[0] ? parseDraft(r.rows[0].data) : null;
  }

  update(residentId: string, fn: (current: Draft | null) => Draft | null): Promise<Draft | null> {
    return this.db.tx(async (q) => {
      // Lock the resident row first so that even a draft that does not exist yet is created once.
      await q.query('SELECT id FROM residents WHERE id = $1 FOR UPDATE', [residentId]);
      const r = await q.query<{ data: unknown }>('SELECT data FROM report_drafts WHERE resident_id = $1 FOR UPDATE', [residentId]);
      const next = fn(r.rows[0] ? parseDraft(r.rows[0].data) : null);
      if (next === null) {
        await q.query('DELETE FROM report_drafts WHERE resident_id = $1', [residentId]);
      } else {
        await q.query(
          `INSERT INTO report_drafts (resident_id, data) VALUES ($1, $2)
           ON CONFLICT (resident_id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
          [residentId, JSON.stringify(next)],
        );
      }
      return next;
    });
  }

  async delete(residentId: string): Promise<void> {
    await this.db.query('DELETE FROM report_drafts WHERE resident_id = $1', [residentId]);
  }
}

/** A stored draft that no longer parses (schema change) is treated as absent rather than crashing the turn. */
function parseDraft(data: unknown): Draft | null {
  const p = DraftSchema.safeParse(data);
  return p.success ? p.data : null;
}
