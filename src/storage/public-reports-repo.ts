/**
 * The public read model of reports (public page, Open311): only the columns a public view is made
 * from. No resident column is ever selected here.
 */
import type { Open311Query, MapPoint, PublicFilter, PublicReportsReader, PublicUpdateRow } from '../domain/public/ports';
import type { PublicReportRow } from '../domain/public/public-report';
import type { ReportStatus } from '../domain/reports/lifecycle';
import type { ReportPhoto } from '../domain/reports/report';
import type { Queryable } from './db';

interface Row {
  id: string;
  code: string;
  status: ReportStatus;
  category: string;
  channel: string;
  created_at: Date;
  updated_at: Date;
  due_at: Date | null;
  resolved_at: Date | null;
  lat: number;
  lng: number;
  address: string | null;
  ward: string | null;
  agency: string | null;
  description: string;
  public_reply: string | null;
  rating: number | null;
  publish: boolean | null;
  photos: Array<ReportPhoto & { kind: 'resident' | 'result' }> | null;
}

const PHOTOS = `COALESCE((SELECT json_agg(json_build_object('key', p.media_key, 'thumbKey', p.thumb_key, 'width', p.width, 'height', p.height, 'kind', p.kind)
  ORDER BY p.kind, p.position) FROM report_photos p WHERE p.report_id = r.id), '[]')`;

const SELECT = `SELECT r.id, r.code, r.status, r.category, r.channel, r.created_at, r.updated_at, r.due_at, r.resolved_at,
  r.lat, r.lng, r.address, r.ward, r.agency, r.description, r.public_reply, r.rating, r.publish, ${PHOTOS} AS photos
  FROM reports r`;

const photo = ({ key, thumbKey, width, height }: ReportPhoto): ReportPhoto => ({ key, thumbKey, width, height });

const toRow = (r: Row): PublicReportRow => ({
  id: String(r.id),
  code: r.code,
  status: r.status,
  category: r.category,
  channel: r.channel,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  dueAt: r.due_at,
  resolvedAt: r.resolved_at,
  lat: r.lat,
  lng: r.lng,
  address: r.address,
  ward: r.ward,
  agency: r.agency,
  description: r.description,
  publicReply: r.public_reply,
  rating: r.rating,
  publish: r.publish,
  photos: (r.photos ?? []).filter((p) => p.kind === 'resident').map(photo),
  resultPhotos: (r.photos ?? []).filter((p) => p.kind === 'result').map(photo),
});

interface UpdateRow {
  id: string;
  code: string;
  at: Date;
  from_status: ReportStatus | null;
  to_status: ReportStatus;
  public_note: string | null;
  publish: boolean | null;
  photos: ReportPhoto[] | null;
}

const UPDATE_SELECT = `SELECT e.id, r.code, e.at, e.from_status, e.to_status, e.public_note, r.publish,
  CASE WHEN e.to_status = 'resolved' THEN COALESCE((SELECT json_agg(json_build_object('key', p.media_key, 'thumbKey', p.thumb_key,
    'width', p.width, 'height', p.height) ORDER BY p.position) FROM report_photos p WHERE p.report_id = r.id AND p.kind = 'result'), '[]') END AS photos
  FROM report_events e JOIN reports r ON r.id = e.report_id`;

const toUpdate = (u: UpdateRow): PublicUpdateRow => ({
  eventId: String(u.id),
  code: u.code,
  at: u.at,
  from: u.from_status,
  to: u.to_status,
  publicNote: u.public_note,
  publish: u.publish,
  resultPhotos: (u.photos ?? []).map(photo),
});

/** `WHERE` of the public filters, with its parameters starting at `$first`. */
function filterSql(f: PublicFilter, first: number): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  if (f.ward) {
    values.push(f.ward);
    parts.push(`r.ward = $${first + values.length - 1}`);
  }
  if (f.category) {
    values.push(f.category);
    parts.push(`r.category = $${first + values.length - 1}`);
  }
  return { sql: parts.join(' AND '), values };
}

export class PgPublicReportsRepo implements PublicReportsReader {
  constructor(private readonly db: Queryable) {}

  async list(filter: PublicFilter, limit: number, offset: number): Promise<PublicReportRow[]> {
    const f = filterSql(filter, 3);
    const r = await this.db.query<Row>(
      `${SELECT} ${f.sql ? `WHERE ${f.sql}` : ''} ORDER BY r.created_at DESC, r.id DESC LIMIT $1 OFFSET $2`,
      [limit, offset, ...f.values],
    );
    return r.rows.map(toRow);
  }

  async findByCode(code: string): Promise<PublicReportRow | null> {
    const r = await this.db.query<Row>(`${SELECT} WHERE r.code = $1`, [code.toUpperCase()]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async points(filter: PublicFilter, since: Date, limit: number): Promise<MapPoint[]> {
    const f = filterSql(filter, 3);
    const r = await this.db.query<{ code: string; status: ReportStatus; category: string; lat: number; lng: number }>(
      `SELECT r.code, r.status, r.category, r.lat, r.lng FROM reports r WHERE r.created_at >= $1 ${f.sql ? `AND ${f.sql}` : ''}
       ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [since, limit, ...f.values],
    );
    return r.rows;
  }

  async open311(q: Open311Query): Promise<PublicReportRow[]> {
    if (q.codes && q.codes.length > 0) {
      const r = await this.db.query<Row>(`${SELECT} WHERE r.code = ANY($1::text[]) ORDER BY r.created_at DESC, r.id DESC LIMIT $2`, [q.codes.map((c) => c.toUpperCase()), q.limit]);
      return r.rows.map(toRow);
    }
    const r = await this.db.query<Row>(
      `${SELECT} WHERE r.created_at >= $1 AND r.created_at <= $2
         AND ($3::text[] IS NULL OR r.category = ANY($3::text[]))
         AND ($4::text[] IS NULL OR r.status = ANY($4::text[]))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $5`,
      [q.start, q.end, q.categories?.length ? q.categories : null, q.statuses?.length ? q.statuses : null, q.limit],
    );
    return r.rows.map(toRow);
  }

  async updates(start: Date, end: Date, limit: number): Promise<PublicUpdateRow[]> {
    const r = await this.db.query<UpdateRow>(
      `${UPDATE_SELECT} WHERE e.at >= $1 AND e.at <= $2 AND e.from_status IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT $3`,
      [start, end, limit],
    );
    return r.rows.map(toUpdate);
  }

  async update(eventId: string): Promise<PublicUpdateRow | null> {
    if (!/^\d{1,18}$/.test(eventId)) return null;
    const r = await this.db.query<UpdateRow>(`${UPDATE_SELECT} WHERE e.id = $1`, [eventId]);
    return r.rows[0] ? toUpdate(r.rows[0]) : null;
  }
}
