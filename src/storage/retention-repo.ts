import type { RetentionRepo } from '../domain/reports/ports';
import type { Queryable } from './db';

/** Empties old webhook bodies, the replies recorded for them and staff replies; drops expired map-link uses. */
export class PgRetentionRepo implements RetentionRepo {
  constructor(private readonly db: Queryable) {}

  async purge(before: Date, batch: number): Promise<number> {
    const r = await this.db.query<{ id: string }>(
      `WITH old AS (
         SELECT id FROM inbound_events WHERE purged_at IS NULL AND status <> 'pending' AND received_at < $1 LIMIT $2
       )
       UPDATE inbound_events e SET body = '{}'::jsonb, last_error = NULL, purged_at = now() FROM old WHERE e.id = old.id RETURNING e.id`,
      [before, batch],
    );
    if (r.rows.length > 0) {
      await this.db.query(
        `UPDATE outbound_messages SET op = '{"kind":"purged"}'::jsonb WHERE event_id = ANY($1::bigint[]) AND status <> 'pending'`,
        [r.rows.map((x) => x.id)],
      );
    }
    // What staff wrote to residents from the hand-over queue is conversation content too.
    await this.db.query("UPDATE handover_replies SET body = '' WHERE sent_at < $1 AND body <> ''", [before]);
    await this.db.query("DELETE FROM webview_token_uses WHERE expires_at < now() - interval '1 day'");
    return r.rows.length;
  }
}
