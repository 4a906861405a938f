import type { DeferredNoticesRepo } from '../domain/notifications/ports';
import type { Queryable } from './db';

/** Notices parked until the resident writes again. */
export class PgDeferredNoticesRepo implements DeferredNoticesRepo {
  constructor(private readonly db: Queryable) {}

  async park(residentId: string, reportId: string, eventId: string, status: string): Promise<void> {
    await this.db.query(
      'INSERT INTO deferred_notifications (resident_id, report_id, event_id, status) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING',
      [residentId, reportId, eventId, status],
    );
  }

  async pending(residentId: string): Promise<Array<{ id: string; reportId: string; eventId: string }>> {
    const r = await this.db.query<{ id: string; report_id: string; event_id: string }>(
      'SELECT id, report_id, event_id FROM deferred_notifications WHERE resident_id = $1 AND delivered_at IS NULL AND event_id IS NOT NULL ORDER BY id',
      [residentId],
    );
    return r.rows.map((x) => ({ id: String(x.id), reportId: String(x.report_id), eventId: String(x.event_id) }));
  }

  async markDelivered(id: string): Promise<void> {
    await this.db.query('UPDATE deferred_notifications SET delivered_at = now() WHERE id = $1', [id]);
  }
}
