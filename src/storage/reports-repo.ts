/**
 * Reports in PostgreSQL. `applyTransition` (and `submit`, for the first event) is the one writer of
 * the report history: the fields a transition sets and its event are written in one transaction.
 */
import type { Transition } from '../domain/reports/lifecycle';
import { LifecycleError } from '../domain/reports/lifecycle';
import type { NewReport, ReportsRepo } from '../domain/reports/ports';
import type { Report, ReportEvent, ReportPhoto, ReportSource } from '../domain/reports/report';
import { newReportCode } from '../domain/reports/report-code';
import type { Actor } from '../domain/staff/actor';
import type { Locale } from '../domain/shared/ids';
import type { Db, Queryable } from './db';

/** A `reports` row with its photos aggregated (REPORT_SELECT). */
export interface ReportRow {
  id: string;
  code: string;
  resident_id: string;
  channel: ReportSource;
  category: string;
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  ward: string | null;
  agency: string | null;
  status: Report['status'];
  locale: Locale;
  created_at: Date;
  updated_at: Date;
  due_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  reopened: boolean;
  reopen_count: number;
  rating: number | null;
  rating_comment: string | null;
  public_reply: string | null;
  duplicate_of: string | null;
  publish?: boolean | null;
  photos: Array<ReportPhoto & { kind: 'resident' | 'result' }> | null;
}

export const REPORT_SELECT = `SELECT r.*, COALESCE((SELECT json_agg(json_build_object('key', p.media_key, 'thumbKey', p.thumb_key,
  'width', p.width, 'height', p.height, 'kind', p.kind) ORDER BY p.kind, p.position) FROM report_photos p WHERE p.report_id = r.id), '[]') AS photos
  FROM reports r`;

const photo = ({ key, thumbKey, width, height }: ReportPhoto): ReportPhoto => ({ key, thumbKey, width, height });

export const toReport = (r: ReportRow): Report => ({
  id: String(r.id),
  code: r.code,
  residentId: String(r.resident_id),
  channel: r.channel,
  category: r.category,
  description: r.description,
  location: { lat: r.lat, lng: r.lng },
  address: r.address,
  ward: r.ward,
  agency: r.agency,
  status: r.status,
  locale: r.locale,
  photos: (r.photos ?? []).filter((p) => p.kind === 'resident').map(photo),
  resultPhotos: (r.photos ?? []).filter((p) => p.kind === 'result').map(photo),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  dueAt: r.due_at,
  resolvedAt: r.resolved_at,
  closedAt: r.closed_at,
  reopened: r.reopened,
  reopenCount: r.reopen_count,
  rating: r.rating,
  ratingComment: r.rating_comment,
  publicReply: r.public_reply,
  duplicateOf: r.duplicate_of,
  publish: r.publish ?? null,
});

interface EventRow {
  id: string;
  report_id: string;
  at: Date;
  from_status: Report['status'] | null;
  to_status: Report['status'];
  actor_kind: Actor['kind'];
  actor_id: string | null;
  public_note: string | null;
  internal_note: string | null;
}

const toEvent = (e: EventRow): ReportEvent => ({
  id: String(e.id),
  at: e.at,
  from: e.from_status,
  to: e.to_status,
  actor: { kind: e.actor_kind, id: e.actor_id ?? '' } as ReportEvent['actor'],
  publicNote: e.public_note,
  internalNote: e.internal_note,
});

/** Appends one history event; the only INSERT into report_events. */
async function appendEvent(q: Queryable, reportId: string, e: Transition['event'] | { actor: Actor; at: Date; from: null; to: 'received'; publicNote: null; internalNote: null }): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO report_events (report_id, at, from_status, to_status, actor_kind, actor_id, public_note, internal_note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [reportId, e.at, e.from, e.to, e.actor.kind, e.actor.id, e.publicNote, e.internalNote],
  );
  return String(r.rows[0]!.id);
}

async function insertPhotos(q: Queryable, reportId: string, kind: 'resident' | 'result', photos: readonly ReportPhoto[]): Promise<void> {
  if (photos.length === 0) return;
  const values: unknown[] = [];
  const tuples = photos.map((p, i) => {
    values.push(reportId, kind, i, p.key, p.thumbKey, p.width, p.height);
    const b = i * 7;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
  });
  await q.query(`INSERT INTO report_photos (report_id, kind, position, media_key, thumb_key, width, height) VALUES ${tuples.join(', ')}`, values);
}

export class PgReportsRepo implements ReportsRepo {
  constructor(private readonly db: Db, private readonly codeLength = 7) {}

  async submit(input: NewReport): Promise<Report> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newReportCode(this.codeLength);
      try {
        const id = await this.db.tx(async (q) => {
          const r = await q.query<{ id: string }>(
            `INSERT INTO reports (code, resident_id, channel, category, description, lat, lng, address, locale, ward, due_at, created_at, updated_at, proposed_agency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id`,
            [code, input.residentId, input.channel, input.category, input.description, input.place.lat, input.place.lng,
              input.place.address, input.locale, input.ward, input.dueAt, input.createdAt, input.proposedAgency ?? null],
          );
          const reportId = String(r.rows[0]!.id);
          await insertPhotos(q, reportId, 'resident', input.photos);
          const actor: Actor = { kind: 'resident', id: input.residentId };
          await appendEvent(q, reportId, { actor, at: input.createdAt, from: null, to: 'received', publicNote: null, internalNote: null });
          await q.query('DELETE FROM report_drafts WHERE resident_id = $1', [input.residentId]);
          return reportId;
        });
        return (await this.findById(id))!;
      } catch (err) {
        // 23505 = unique violation: the random code was taken; draw another.
        if ((err as { code?: string }).code === '23505' && String((err as Error).message).includes('code')) continue;
        throw err;
      }
    }
    throw new Error('could not allocate a unique report code after 5 attempts');
  }

  async findByCode(code: string): Promise<Report | null> {
    const r = await this.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.code = $1`, [code.toUpperCase()]);
    return r.rows[0] ? toReport(r.rows[0]) : null;
  }

  async findById(id: string): Promise<Report | null> {
    const r = await this.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.id = $1`, [id]);
    return r.rows[0] ? toReport(r.rows[0]) : null;
  }

  async listByResident(residentId: string, limit: number): Promise<Report[]> {
    const r = await this.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.resident_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`, [residentId, limit]);
    return r.rows.map(toReport);
  }

  async applyTransition(reportId: string, t: Transition): Promise<{ report: Report; eventId: string }> {
    const eventId = await this.db.tx(async (q) => {
      const c = t.changes;
      const sets: string[] = ['status = $3', 'updated_at = $4'];
      const values: unknown[] = [reportId, t.from, c.status, t.event.at];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (c.agency !== undefined) set('agency', c.agency);
      if (c.resolvedAt !== undefined) set('resolved_at', c.resolvedAt);
      if (c.closedAt !== undefined) set('closed_at', c.closedAt);
      if (c.reopened !== undefined) set('reopened', c.reopened);
      if (c.reopenCount !== undefined) set('reopen_count', c.reopenCount);
      if (c.publicReply !== undefined) set('public_reply', c.publicReply);
      if (c.duplicateOf !== undefined) set('duplicate_of', c.duplicateOf);
      if (c.rating !== undefined) set('rating', c.rating);
      const up = await q.query(`UPDATE reports SET ${sets.join(', ')} WHERE id = $1 AND status = $2`, values);
      if (up.rowCount !== 1) throw new LifecycleError('lifecycle.illegal-transition', `the report changed meanwhile; it is no longer ${t.from}`);
      if (c.resultPhotoIds !== undefined) {
        await q.query("DELETE FROM report_photos WHERE report_id = $1 AND kind = 'result'", [reportId]);
        const media = await q.query<{ key: string; thumb_key: string | null; width: number; height: number }>(
          'SELECT key, thumb_key, width, height FROM media WHERE key = ANY($1::text[])',
          [c.resultPhotoIds],
        );
        const byKey = new Map(media.rows.map((m) => [m.key, m]));
        const photos = c.resultPhotoIds.flatMap((id) => {
          const m = byKey.get(id);
          return m ? [{ key: m.key, thumbKey: m.thumb_key ?? m.key, width: m.width, height: m.height }] : [];
        });
        await insertPhotos(q, reportId, 'result', photos);
      }
      return appendEvent(q, reportId, t.event);
    });
    return { report: (await this.findById(reportId))!, eventId };
  }

  async history(reportId: string): Promise<ReportEvent[]> {
    const r = await this.db.query<EventRow>('SELECT * FROM report_events WHERE report_id = $1 ORDER BY id', [reportId]);
    return r.rows.map(toEvent);
  }

  async event(eventId: string): Promise<(ReportEvent & { reportId: string }) | null> {
    const r = await this.db.query<EventRow>('SELECT * FROM report_events WHERE id = $1', [eventId]);
    return r.rows[0] ? { ...toEvent(r.rows[0]), reportId: String(r.rows[0].report_id) } : null;
  }

  async resolvedBefore(resolvedBefore: Date, limit: number): Promise<string[]> {
    const r = await this.db.query<{ id: string }>(
      "SELECT id FROM reports WHERE status = 'resolved' AND resolved_at < $1 ORDER BY resolved_at LIMIT $2",
      [resolvedBefore, limit],
    );
    return r.rows.map((x) => String(x.id));
  }

  async setRatingComment(reportId: string, comment: string): Promise<void> {
    await this.db.query('UPDATE reports SET rating_comment = $2, updated_at = now() WHERE id = $1', [reportId, comment]);
  }

  async setPublish(reportId: string, publish: boolean): Promise<void> {
    await this.db.query('UPDATE reports SET publish = $2, updated_at = now() WHERE id = $1', [reportId, publish]);
  }
}
