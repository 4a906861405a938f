/**
 * Conversations a resident asked to hand to a person (`staff_handovers`, one open row per resident)
 * and what staff replied from the console (`handover_replies`).
 */
import type { Handover, HandoverQueueRepo } from '../domain/handovers/handover';
import type { HandoversRepo } from '../domain/reports/ports';
import type { Channel, Locale } from '../domain/shared/ids';
import type { Actor } from '../domain/staff/actor';
import type { Queryable } from './db';

interface Row {
  id: string;
  resident_id: string;
  channel: Channel;
  reason: string;
  created_at: Date;
  resolved_at: Date | null;
  last_reply_at: Date | null;
  last_inbound_at: Date | null;
  locale: Locale;
}

const toHandover = (r: Row): Handover => ({
  id: String(r.id),
  residentId: String(r.resident_id),
  channel: r.channel,
  reason: r.reason,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  lastReplyAt: r.last_reply_at,
  lastInboundAt: r.last_inbound_at,
  locale: r.locale === 'en' ? 'en' : 'vi',
});

// The resident's last stored event: the newest row of their conversation (index on conversation_key, id).
const SELECT = `SELECT h.id, h.resident_id, h.channel, h.reason, h.created_at, h.resolved_at, h.last_reply_at, x.locale,
    (SELECT e.received_at FROM inbound_events e WHERE e.conversation_key = x.channel || ':' || x.platform_user_id ORDER BY e.id DESC LIMIT 1) AS last_inbound_at
  FROM staff_handovers h JOIN residents x ON x.id = h.resident_id`;

export class PgHandoversRepo implements HandoversRepo, HandoverQueueRepo {
  constructor(private readonly db: Queryable) {}

  async open(residentId: string, channel: Channel, reason: string): Promise<string> {
    const r = await this.db.query<{ id: string }>(
      `INSERT INTO staff_handovers (resident_id, channel, reason) VALUES ($1, $2, $3)
       ON CONFLICT (resident_id) WHERE resolved_at IS NULL DO NOTHING RETURNING id`,
      [residentId, channel, reason],
    );
    if (r.rows[0]) return String(r.rows[0].id);
    const open = await this.db.query<{ id: string }>('SELECT id FROM staff_handovers WHERE resident_id = $1 AND resolved_at IS NULL', [residentId]);
    return String(open.rows[0]!.id);
  }

  async listOpen(limit: number): Promise<Handover[]> {
    const r = await this.db.query<Row>(`${SELECT} WHERE h.resolved_at IS NULL ORDER BY h.created_at, h.id LIMIT $1`, [limit]);
    return r.rows.map(toHandover);
  }

  async countOpen(): Promise<number> {
    const r = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_handovers WHERE resolved_at IS NULL');
    return r.rows[0]?.n ?? 0;
  }

  async find(id: string): Promise<Handover | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const r = await this.db.query<Row>(`${SELECT} WHERE h.id = $1`, [id]);
    return r.rows[0] ? toHandover(r.rows[0]) : null;
  }

  async close(id: string, by: Actor): Promise<boolean> {
    const r = await this.db.query(
      'UPDATE staff_handovers SET resolved_at = now(), resolved_by_kind = $2, resolved_by_id = $3 WHERE id = $1 AND resolved_at IS NULL',
      [id, by.kind, by.id],
    );
    return r.rowCount === 1;
  }

  async closeOpenFor(residentId: string, by: Actor): Promise<number> {
    const r = await this.db.query(
      'UPDATE staff_handovers SET resolved_at = now(), resolved_by_kind = $2, resolved_by_id = $3 WHERE resident_id = $1 AND resolved_at IS NULL',
      [residentId, by.kind, by.id],
    );
    return r.rowCount ?? 0;
  }

  async recordReply(handoverId: string, residentId: string, by: Actor, body: string): Promise<void> {
    await this.db.query('INSERT INTO handover_replies (handover_id, resident_id, actor_kind, actor_id, body) VALUES ($1, $2, $3, $4, $5)', [handoverId, residentId, by.kind, by.id, body]);
    await this.db.query('UPDATE staff_handovers SET last_reply_at = now() WHERE id = $1', [handoverId]);
  }

  async replies(residentId: string, since: Date, limit: number): Promise<Array<{ at: Date; body: string; actorId: string }>> {
    const r = await this.db.query<{ sent_at: Date; body: string; actor_id: string }>(
      'SELECT sent_at, body, actor_id FROM handover_replies WHERE resident_id = $1 AND sent_at >= $2 ORDER BY id DESC LIMIT $3',
      [residentId, since, limit],
    );
    return r.rows.reverse().map((x) => ({ at: x.sent_at, body: x.body, actorId: x.actor_id }));
  }
}
