import type { DeferredNoticesRepo, ParkedPart } from '../domain/notifications/ports';
import type { Queryable } from './db';

/** Notices parked until the resident writes again. */
export class PgDeferredNoticesRepo implements DeferredNoticesRepo {
  constructor(private readonly db: Queryable) {}

  async park(residentId: string, reportId: string, eventId: string, status: string, part: ParkedPart = 'whole'): Promise<void> {
    await this.db.query(
      'INSERT INTO deferred_notifications (resident_id, report_id, event_id, status, part) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING',
      [residentId, reportId, eventId, status, part],
    );
  }

  async pending(residentId: string): Promise<Array<{ id: string; reportId: string; eventId: string; part: ParkedPart }>> {
    const r = await this.db.query<{ id: string; report_id: string; event_id: string; part: ParkedPart }>(
      'SELECT id, report_id, event_id, part FROM deferred_notifications WHERE resident_id = $1 AND delivered_at IS NULL AND event_id IS NOT NULL ORDER BY id',
      [residentId],
    );
    return r.rows.map((x) => ({ id: String(x.id), reportId: String(x.report_id), eventId: String(x.event_id), part: x.part }));
  }

  async markDelivered(id: string): Promise<void> {
    await this.db.query('UPDATE deferred_notifications SET delivered_at = now() WHERE id = $1', [id]);
  }
}
