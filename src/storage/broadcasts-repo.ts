/** Broadcasts, their targets and deliveries in PostgreSQL (migrations/015-broadcasts.sql). */
import { broadcastRef, type BroadcastStatus, type BroadcastTarget, type DeliveryState, type TargetKind } from '../domain/broadcasts/broadcast';
import type { BroadcastRecord, BroadcastsRepo, DeliveryRecord, NewBroadcast } from '../domain/broadcasts/ports';
import { DomainError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { Actor } from '../domain/staff/actor';
import type { Db, Queryable } from './db';

interface TargetRow {
  id: string;
  kind: TargetKind;
  external_id: string;
  name: string;
  status: 'enabled' | 'disabled';
  reason: string | null;
  members: number | null;
  label: string | null;
}

const toTarget = (r: TargetRow): BroadcastTarget => ({
  id: String(r.id),
  kind: r.kind,
  externalId: r.external_id,
  name: r.name,
  status: r.status,
  reason: r.reason,
  members: r.members,
  label: r.label,
});

interface BroadcastRow {
  id: string;
  ref: string;
  status: BroadcastStatus;
  kind: 'cases' | 'digest';
  locale: Locale;
  caption: string;
  caption_en: string | null;
  removed: Array<{ kind: string; value: string }>;
  author_id: string;
  approved_by: string | null;
  approved_at: Date | null;
  send_at: Date | null;
  created_at: Date;
}

interface DeliveryRow extends TargetRow {
  delivery_id: string;
  broadcast_id: string;
  target_id: string;
  state: DeliveryState;
  platform_id: string | null;
  link: string | null;
  error: string | null;
  attempts: number;
}

const DELIVERY_SELECT = `SELECT d.id AS delivery_id, d.broadcast_id, d.target_id, d.state, d.platform_id, d.link, d.error, d.attempts,
  t.id, t.kind, t.external_id, t.name, t.status, t.reason, t.members, t.label
  FROM broadcast_deliveries d JOIN broadcast_targets t ON t.id = d.target_id`;

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: String(r.delivery_id),
  broadcastId: String(r.broadcast_id),
  target: toTarget({ ...r, id: r.target_id }),
  state: r.state,
  platformId: r.platform_id,
  link: r.link,
  error: r.error,
  attempts: r.attempts,
});

export class PgBroadcastsRepo implements BroadcastsRepo {
  constructor(private readonly db: Db) {}

  async listTargets(): Promise<BroadcastTarget[]> {
    const r = await this.db.query<TargetRow>('SELECT * FROM broadcast_targets ORDER BY kind DESC, name');
    return r.rows.map(toTarget);
  }

  async targets(ids: readonly string[]): Promise<BroadcastTarget[]> {
    if (ids.length === 0) return [];
    const r = await this.db.query<TargetRow>('SELECT * FROM broadcast_targets WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
    return r.rows.map(toTarget);
  }

  async syncGroups(groups: Parameters<BroadcastsRepo['syncGroups']>[0]): Promise<void> {
    await this.db.tx(async (q) => {
      for (const g of groups) {
        await q.query(
          `INSERT INTO broadcast_targets (kind, external_id, name, status, reason, members, asset_valid_through, synced_at)
           VALUES ('zalo-group', $1, $2, $3, $4, $5, $6, now())
           ON CONFLICT (kind, external_id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, reason = EXCLUDED.reason,
             members = EXCLUDED.members, asset_valid_through = EXCLUDED.asset_valid_through, synced_at = now()`,
          [g.externalId, g.name, g.status, g.reason, g.members, g.assetValidThrough],
        );
      }
      await q.query(
        `UPDATE broadcast_targets SET status = 'disabled', reason = 'no longer listed by Zalo (deleted, or the OA left the group)', synced_at = now()
         WHERE kind = 'zalo-group' AND NOT (external_id = ANY($1::text[]))`,
        [groups.map((g) => g.externalId)],
      );
    });
  }

  async ensureTarget(kind: TargetKind, externalId: string, name: string): Promise<BroadcastTarget> {
    const r = await this.db.query<TargetRow>(
      `INSERT INTO broadcast_targets (kind, external_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (kind, external_id) DO UPDATE SET name = EXCLUDED.name RETURNING *`,
      [kind, externalId, name],
    );
    return toTarget(r.rows[0]!);
  }

  async setLabel(targetId: string, label: string | null): Promise<void> {
    const r = await this.db.query('UPDATE broadcast_targets SET label = $2 WHERE id = $1', [targetId, label]);
    if (r.rowCount !== 1) throw new DomainError('broadcast.target-not-found', `no target ${targetId}`);
  }

  async create(b: NewBroadcast): Promise<BroadcastRecord> {
    const id = await this.db.tx(async (q) => {
      const r = await q.query<{ id: string }>(
        `INSERT INTO broadcasts (kind, locale, caption, caption_en, removed, author_id, week_start) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [b.kind, b.locale, b.caption, b.captionEn, JSON.stringify(b.removed), b.author.id, b.weekStart ?? null],
      );
      const bid = String(r.rows[0]!.id);
      await q.query('UPDATE broadcasts SET ref = $2 WHERE id = $1', [bid, broadcastRef(bid)]);
      for (const [i, it] of b.items.entries()) {
        await q.query('INSERT INTO broadcast_items (broadcast_id, position, report_id, card_key) VALUES ($1, $2, $3, $4)', [bid, i, it.reportId, it.cardKey]);
      }
      for (const t of b.targetIds) await q.query('INSERT INTO broadcast_deliveries (broadcast_id, target_id) VALUES ($1, $2)', [bid, t]);
      return bid;
    });
    return (await this.get(id))!;
  }

  async get(id: string, q: Queryable = this.db): Promise<BroadcastRecord | null> {
    if (!/^\d+$/.test(id)) return null;
    const b = await q.query<BroadcastRow>('SELECT * FROM broadcasts WHERE id = $1', [id]);
    const row = b.rows[0];
    if (!row) return null;
    const items = await q.query<{ report_id: string | null; code: string | null; card_key: string }>(
      'SELECT i.report_id, r.code, i.card_key FROM broadcast_items i LEFT JOIN reports r ON r.id = i.report_id WHERE i.broadcast_id = $1 ORDER BY i.position',
      [id],
    );
    const deliveries = await q.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.broadcast_id = $1 ORDER BY d.id`, [id]);
    return {
      id: String(row.id),
      ref: row.ref,
      status: row.status,
      kind: row.kind,
      locale: row.locale,
      caption: row.caption,
      captionEn: row.caption_en,
      removed: row.removed,
      authorId: row.author_id,
      approvedBy: row.approved_by,
      approvedAt: row.approved_at,
      sendAt: row.send_at,
      createdAt: row.created_at,
      items: items.rows.map((i) => ({ reportId: i.report_id === null ? null : String(i.report_id), reportCode: i.code, cardKey: i.card_key })),
      deliveries: deliveries.rows.map(toDelivery),
    };
  }

  async list(limit: number): Promise<BroadcastRecord[]> {
    const r = await this.db.query<{ id: string }>('SELECT id FROM broadcasts ORDER BY id DESC LIMIT $1', [limit]);
    const out: BroadcastRecord[] = [];
    for (const x of r.rows) {
      const b = await this.get(String(x.id));
      if (b) out.push(b);
    }
    return out;
  }

  async approve(id: string, approver: Actor, sendAt: Date | null): Promise<DeliveryRecord[]> {
    return this.db.tx(async (q) => {
      const r = await q.query(
        "UPDATE broadcasts SET status = 'approved', approved_by = $2, approved_at = now(), send_at = $3, updated_at = now() WHERE id = $1 AND status = 'draft'",
        [id, approver.id, sendAt],
      );
      if (r.rowCount !== 1) throw new DomainError('broadcast.not-draft', 'the broadcast is no longer a draft');
      const d = await q.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.broadcast_id = $1 ORDER BY d.id`, [id]);
      return d.rows.map(toDelivery);
    });
  }

  async cancel(id: string, actor: Actor): Promise<void> {
    await this.db.tx(async (q) => {
      const r = await q.query(
        `UPDATE broadcasts SET status = 'cancelled', cancelled_by = $2, updated_at = now()
         WHERE id = $1 AND status IN ('draft', 'approved')
           AND NOT EXISTS (SELECT 1 FROM broadcast_deliveries WHERE broadcast_id = $1 AND state NOT IN ('pending', 'cancelled'))`,
        [id, actor.id],
      );
      if (r.rowCount !== 1) throw new DomainError('broadcast.already-sending', 'the broadcast is already going out or finished');
      await q.query("UPDATE broadcast_deliveries SET state = 'cancelled', updated_at = now() WHERE broadcast_id = $1", [id]);
    });
  }

  async setCaption(id: string, caption: string, removed: ReadonlyArray<{ kind: string; value: string }>): Promise<void> {
    await this.db.query("UPDATE broadcasts SET caption = $2, removed = $3, updated_at = now() WHERE id = $1 AND status = 'draft'", [id, caption, JSON.stringify(removed)]);
  }

  async candidates(f: { ward?: string; category?: string; from?: Date; to?: Date; minRating?: number; limit: number }) {
    const where: string[] = ["r.status IN ('resolved', 'closed')", 'r.resolved_at IS NOT NULL'];
    const values: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      values.push(v);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (f.ward) add('r.ward = ?', f.ward);
    if (f.category) add('r.category = ?', f.category);
    if (f.from) add('r.resolved_at >= ?', f.from);
    if (f.to) add('r.resolved_at < ?', f.to);
    if (f.minRating) add('r.rating >= ?', f.minRating);
    values.push(f.limit);
    const r = await this.db.query<{ code: string; category: string; address: string | null; ward: string | null; resolved_at: Date; rating: number | null; publish: boolean | null; result_photos: number }>(
      `SELECT r.code, r.category, r.address, r.ward, r.resolved_at, r.rating, r.publish,
         (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id AND p.kind = 'result') AS result_photos
       FROM reports r WHERE ${where.join(' AND ')} ORDER BY r.resolved_at DESC LIMIT $${values.length}`,
      values,
    );
    return r.rows.map((x) => ({ code: x.code, category: x.category, address: x.address, ward: x.ward, resolvedAt: x.resolved_at, rating: x.rating, publish: x.publish, resultPhotos: x.result_photos }));
  }

  async weekFigures(from: Date, to: Date): Promise<{ received: number; resolved: number; medianDays: number | null; topCodes: string[] }> {
    const r = await this.db.query<{ received: number; resolved: number; median: number | null }>(
      `SELECT (SELECT count(*)::int FROM reports WHERE created_at >= $1 AND created_at < $2) AS received,
              (SELECT count(*)::int FROM reports WHERE resolved_at >= $1 AND resolved_at < $2) AS resolved,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 86400)
                 FROM reports WHERE resolved_at >= $1 AND resolved_at < $2) AS median`,
      [from, to],
    );
    const top = await this.db.query<{ code: string }>(
      `SELECT r.code FROM reports r WHERE r.resolved_at >= $1 AND r.resolved_at < $2 AND r.publish IS DISTINCT FROM false
         AND EXISTS (SELECT 1 FROM report_photos p WHERE p.report_id = r.id AND p.kind = 'result')
       ORDER BY r.rating DESC NULLS LAST, r.resolved_at DESC LIMIT 5`,
      [from, to],
    );
    const row = r.rows[0]!;
    return { received: row.received, resolved: row.resolved, medianDays: row.median === null ? null : Math.round(row.median * 10) / 10, topCodes: top.rows.map((x) => x.code) };
  }

  async weekDigestExists(weekStart: string): Promise<boolean> {
    const r = await this.db.query("SELECT 1 FROM broadcasts WHERE kind = 'digest' AND week_start = $1", [weekStart]);
    return (r.rowCount ?? 0) > 0;
  }

  async claim(deliveryId: string, leaseMs: number) {
    const claimed = await this.db.tx(async (q) => {
      const r = await q.query<DeliveryRow & { lease_until: Date | null; b_status: BroadcastStatus }>(
        `${DELIVERY_SELECT.replace('SELECT d.id', 'SELECT d.lease_until, b.status AS b_status, d.id')} JOIN broadcasts b ON b.id = d.broadcast_id
         WHERE d.id = $1 FOR UPDATE OF d`,
        [deliveryId],
      );
      const row = r.rows[0];
      if (!row) return null;
      if (row.b_status === 'cancelled' || row.b_status === 'draft') return null;
      const takeable = row.state === 'pending' || row.state === 'uncertain' || (row.state === 'sending' && (!row.lease_until || row.lease_until.getTime() < Date.now()));
      if (!takeable) return null;
      await q.query(
        "UPDATE broadcast_deliveries SET state = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now() WHERE id = $1",
        [deliveryId, leaseMs],
      );
      await q.query("UPDATE broadcasts SET status = 'sending', updated_at = now() WHERE id = $1 AND status = 'approved'", [row.broadcast_id]);
      return { delivery: toDelivery(row), previous: row.state };
    });
    if (!claimed) return null;
    const broadcast = (await this.get(claimed.delivery.broadcastId))!;
    return { ...claimed.delivery, previous: claimed.previous, broadcast };
  }

  async markSent(deliveryId: string, platformId: string, link: string | null): Promise<void> {
    await this.finish(deliveryId, "state = 'sent', platform_id = $2, link = $3, error = NULL, lease_until = NULL", [platformId, link]);
  }

  async markFailed(deliveryId: string, reason: string): Promise<void> {
    await this.finish(deliveryId, "state = 'failed', error = left($2, 300), lease_until = NULL", [reason]);
  }

  async release(deliveryId: string, state: 'pending' | 'uncertain', error: string): Promise<void> {
    await this.db.query('UPDATE broadcast_deliveries SET state = $2, error = left($3, 300), lease_until = NULL, updated_at = now() WHERE id = $1', [deliveryId, state, error]);
  }

  async stalled(limit: number, leaseMs: number): Promise<string[]> {
    // A `pending` delivery is stalled when no job will run it: none waits (created / retry, a
    // backoff included) and none started within a lease (a dead process's job is held `active`
    // until pg-boss expires it, minutes later).
    const r = await this.db.query<{ id: string }>(
      `SELECT d.id FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
       WHERE b.status IN ('approved', 'sending') AND (b.send_at IS NULL OR b.send_at <= now())
         AND (d.state = 'uncertain' OR (d.state = 'sending' AND d.lease_until < now())
           OR (d.state = 'pending' AND d.updated_at < now() - make_interval(secs => $2::double precision / 1000)
             AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = 'broadcast-delivery' AND j.data->>'deliveryId' = d.id::text
               AND (j.state IN ('created', 'retry') OR (j.state = 'active' AND j.started_on > now() - make_interval(secs => $2::double precision / 1000))))))
       ORDER BY d.id LIMIT $1`,
      [limit, leaseMs],
    );
    return r.rows.map((x) => String(x.id));
  }

  async reopenDelivery(deliveryId: string): Promise<DeliveryRecord | null> {
    const r = await this.db.query("UPDATE broadcast_deliveries SET state = CASE WHEN state = 'uncertain' THEN 'uncertain' ELSE 'pending' END, updated_at = now() WHERE id = $1 AND state IN ('failed', 'uncertain') RETURNING id", [deliveryId]);
    if (r.rowCount !== 1) return null;
    const d = await this.db.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1`, [deliveryId]);
    await this.db.query("UPDATE broadcasts SET status = 'sending', updated_at = now() WHERE id = $1 AND status = 'done'", [d.rows[0]!.broadcast_id]);
    return toDelivery(d.rows[0]!);
  }

  private async finish(deliveryId: string, set: string, values: unknown[]): Promise<void> {
    await this.db.tx(async (q) => {
      // The broadcast's row first: the last two deliveries of a broadcast finishing at once take turns,
      // so the second sees the first settled and marks the broadcast done (each alone would see the
      // other still sending, and the broadcast would stay 'sending').
      const b = await q.query<{ broadcast_id: string }>(
        'SELECT b.id AS broadcast_id FROM broadcasts b JOIN broadcast_deliveries d ON d.broadcast_id = b.id WHERE d.id = $1 FOR UPDATE OF b',
        [deliveryId],
      );
      const bid = b.rows[0]?.broadcast_id;
      if (!bid) return;
      await q.query(`UPDATE broadcast_deliveries SET ${set}, updated_at = now() WHERE id = $1`, [deliveryId, ...values]);
      await q.query(
        `UPDATE broadcasts SET status = 'done', updated_at = now() WHERE id = $1 AND status IN ('approved', 'sending')
           AND NOT EXISTS (SELECT 1 FROM broadcast_deliveries WHERE broadcast_id = $1 AND state IN ('pending', 'sending', 'uncertain'))`,
        [bid],
      );
    });
  }
}
