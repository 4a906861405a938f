/**
 * The staff report desk's reads and its few writes besides status changes (those stay in
 * `PgReportsRepo.applyTransition`). The list is keyset-paginated: each sort is `(key, id)` with an
 * index behind it (migration 011), so page 1 and page 10,000 cost the same; filters are plain
 * predicates the planner combines with those indexes; free text goes through the trigram index on
 * the folded `search` column.
 */
import type { ReportStatus } from '../domain/reports/lifecycle';
import { OPEN_STATUSES } from '../domain/reports/lifecycle';
import type { ReportEvent } from '../domain/reports/report';
import {
  NO_AGENCY,
  type ListQuery,
  type MapPoint,
  type NearbyReport,
  type OverdueGroup,
  type ReportCursor,
  type ReportFilter,
  type ReportSort,
  type StaffNote,
  type StaffNotice,
  type StaffNoticesRepo,
  type StaffReport,
  type StaffReportsRepo,
} from '../domain/reports/report-desk';
import { boxAround, distanceMeters } from '../domain/reports/city-routing';
import type { Actor } from '../domain/staff/actor';
import type { ReportVisibility } from '../domain/staff/permissions';
import type { Db, Queryable } from './db';
import { toReport, type ReportRow } from './reports-repo';

type Row = Omit<ReportRow, 'photos'> & {
  proposed_agency: string | null;
  photos?: ReportRow['photos'];
  sort_key?: string;
};

const COLUMNS = `r.id, r.code, r.resident_id, r.channel, r.category, r.description, r.lat, r.lng, r.address, r.ward, r.agency,
  r.proposed_agency, r.status, r.locale, r.created_at, r.updated_at, r.due_at, r.resolved_at, r.closed_at, r.reopened,
  r.reopen_count, r.rating, r.rating_comment, r.public_reply, r.duplicate_of, r.publish`;

const PHOTOS = `COALESCE((SELECT json_agg(json_build_object('key', p.media_key, 'thumbKey', p.thumb_key, 'width', p.width,
  'height', p.height, 'kind', p.kind) ORDER BY p.kind, p.position) FROM report_photos p WHERE p.report_id = page.id), '[]') AS photos`;

const toStaffReport = (r: Row): StaffReport => ({ ...toReport({ ...r, photos: r.photos ?? null }), proposedAgency: r.proposed_agency });

/** Sort column, direction and the keyset comparison of each sort. */
const SORTS: Record<ReportSort, { column: string; dir: 'ASC' | 'DESC' }> = {
  newest: { column: 'created_at', dir: 'DESC' },
  oldest: { column: 'created_at', dir: 'ASC' },
  due: { column: 'due_at', dir: 'ASC' },
  updated: { column: 'updated_at', dir: 'DESC' },
};

/** Microsecond-exact ISO text of a timestamp column (JS dates would drop the microseconds). */
const isoKey = (column: string) => `to_char(r.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const OPEN = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Escapes LIKE wildcards in user text. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

class Where {
  readonly parts: string[] = [];
  constructor(readonly values: unknown[]) {}
  param(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  /** `column = $n` for one value (an ordered index scan), `= ANY` for several. */
  oneOf(column: string, list: readonly string[]): void {
    if (list.length === 1) this.parts.push(`${column} = ${this.param(list[0])}`);
    else if (list.length > 1) this.parts.push(`${column} = ANY(${this.param(list)}::text[])`);
  }
  add(sql: string): void {
    this.parts.push(sql);
  }
  sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

function applyVisibility(w: Where, v: ReportVisibility): void {
  switch (v.kind) {
    case 'all':
      return;
    case 'routed': {
      // One side alone keeps an ordered index scan possible (`agency = $1` on reports_agency_created).
      const byAgency = () => (v.agencies.length === 1 ? `r.agency = ${w.param(v.agencies[0])}` : `r.agency = ANY(${w.param(v.agencies)}::text[])`);
      const byWard = () => (v.wards.length === 1 ? `r.ward = ${w.param(v.wards[0])}` : `r.ward = ANY(${w.param(v.wards)}::text[])`);
      if (v.agencies.length === 0 && v.wards.length === 0) w.add('false');
      else if (v.wards.length === 0) w.add(byAgency());
      else if (v.agencies.length === 0) w.add(byWard());
      else w.add(`(${byAgency()} OR ${byWard()})`);
      return;
    }
    case 'statuses':
      w.add(`r.status = ANY(${w.param(v.statuses)}::text[])`);
      return;
  }
}

function applyFilter(w: Where, f: ReportFilter, now: Date, timezone: string): void {
  w.oneOf('r.status', f.statuses);
  w.oneOf('r.category', f.categories);
  w.oneOf('r.ward', f.wards);
  const agencies = f.agencies.filter((a) => a !== NO_AGENCY);
  if (f.agencies.includes(NO_AGENCY)) w.add(agencies.length ? `(r.agency IS NULL OR r.agency = ANY(${w.param(agencies)}::text[]))` : 'r.agency IS NULL');
  else w.oneOf('r.agency', agencies);
  if (f.overdue) w.add(`r.status IN ${OPEN} AND r.due_at < ${w.param(now)}`);
  if (f.reopened) w.add('r.reopened');
  if (f.from) w.add(`r.created_at >= (${w.param(f.from)}::date::timestamp AT TIME ZONE ${w.param(timezone)})`);
  if (f.to) w.add(`r.created_at < ((${w.param(f.to)}::date + 1)::timestamp AT TIME ZONE ${w.param(timezone)})`);
  if (f.q) w.add(`r.search LIKE '%' || phananh_fold(${w.param(likeEscape(f.q))}) || '%'`);
}

interface NoteRow {
  id: string;
  report_id: string;
  at: Date;
  actor_kind: Actor['kind'];
  actor_id: string;
  kind: 'note' | 'category';
  status: ReportStatus;
  body: string | null;
  category_from: string | null;
  category_to: string | null;
}

const toNote = (n: NoteRow): StaffNote => ({
  id: String(n.id),
  at: n.at,
  actor: { kind: n.actor_kind, id: n.actor_id } as StaffNote['actor'],
  kind: n.kind,
  status: n.status,
  body: n.body,
  categoryFrom: n.category_from,
  categoryTo: n.category_to,
});

async function insertNote(q: Queryable, reportId: string, n: { at: Date; actor: Pick<Actor, 'kind' | 'id'>; kind: 'note' | 'category'; status: ReportStatus; body: string | null; from?: string; to?: string }): Promise<NoteRow> {
  const r = await q.query<NoteRow>(
    `INSERT INTO report_notes (report_id, at, actor_kind, actor_id, kind, status, body, category_from, category_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [reportId, n.at, n.actor.kind, n.actor.id, n.kind, n.status, n.body, n.from ?? null, n.to ?? null],
  );
  return r.rows[0]!;
}

export class PgStaffReportsRepo implements StaffReportsRepo {
  constructor(private readonly db: Db) {}

  async list(q: ListQuery): Promise<{ items: StaffReport[]; next: ReportCursor | null }> {
    const sort = SORTS[q.filter.sort];
    const w = new Where([]);
    applyVisibility(w, q.visibility);
    applyFilter(w, q.filter, q.now, q.timezone);
    if (q.cursor) {
      const op = sort.dir === 'DESC' ? '<' : '>';
      w.add(`(r.${sort.column}, r.id) ${op} (${w.param(q.cursor.key)}::timestamptz, ${w.param(q.cursor.id)}::bigint)`);
    }
    const order = `${sort.column} ${sort.dir}, id ${sort.dir}`;
    const limit = w.param(q.limit + 1);
    const r = await this.db.query<Row>(
      `WITH page AS (SELECT ${COLUMNS}, ${isoKey(sort.column)} AS sort_key FROM reports r ${w.sql()} ORDER BY r.${order} LIMIT ${limit})
       SELECT page.*, ${PHOTOS} FROM page ORDER BY ${order}`,
      w.values,
    );
    const rows = r.rows.slice(0, q.limit);
    const last = rows.at(-1);
    const next = r.rows.length > q.limit && last?.sort_key ? { sort: q.filter.sort, key: last.sort_key, id: String(last.id) } : null;
    return { items: rows.map(toStaffReport), next };
  }

  async points(q: Omit<ListQuery, 'cursor'>): Promise<MapPoint[]> {
    const w = new Where([]);
    applyVisibility(w, q.visibility);
    applyFilter(w, q.filter, q.now, q.timezone);
    const now = w.param(q.now);
    const r = await this.db.query<{ code: string; status: ReportStatus; category: string; lat: number; lng: number; overdue: boolean }>(
      `SELECT r.code, r.status, r.category, r.lat, r.lng, (r.status IN ${OPEN} AND r.due_at < ${now}) AS overdue
       FROM reports r ${w.sql()} ORDER BY r.created_at DESC, r.id DESC LIMIT ${w.param(q.limit)}`,
      w.values,
    );
    return r.rows;
  }

  async findByCode(code: string): Promise<StaffReport | null> {
    const r = await this.db.query<Row>(`WITH page AS (SELECT ${COLUMNS} FROM reports r WHERE r.code = $1) SELECT page.*, ${PHOTOS} FROM page`, [code.toUpperCase()]);
    return r.rows[0] ? toStaffReport(r.rows[0]) : null;
  }

  async histories(reportIds: readonly string[]): Promise<Map<string, ReportEvent[]>> {
    const out = new Map<string, ReportEvent[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return out;
    const r = await this.db.query<{ id: string; report_id: string; at: Date; from_status: ReportStatus | null; to_status: ReportStatus; actor_kind: Actor['kind']; actor_id: string | null; public_note: string | null; internal_note: string | null }>(
      'SELECT id, report_id, at, from_status, to_status, actor_kind, actor_id, public_note, internal_note FROM report_events WHERE report_id = ANY($1::bigint[]) ORDER BY report_id, id',
      [reportIds],
    );
    for (const e of r.rows) {
      out.get(String(e.report_id))?.push({
        id: String(e.id),
        at: e.at,
        from: e.from_status,
        to: e.to_status,
        actor: { kind: e.actor_kind, id: e.actor_id ?? '' } as ReportEvent['actor'],
        publicNote: e.public_note,
        internalNote: e.internal_note,
      });
    }
    return out;
  }

  async notes(reportIds: readonly string[]): Promise<Map<string, StaffNote[]>> {
    const out = new Map<string, StaffNote[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return out;
    const r = await this.db.query<NoteRow>('SELECT * FROM report_notes WHERE report_id = ANY($1::bigint[]) ORDER BY report_id, id', [reportIds]);
    for (const n of r.rows) out.get(String(n.report_id))?.push(toNote(n));
    return out;
  }

  async nearby(q: { lat: number; lng: number; category: string; meters: number; exceptId: string; limit: number; visibility: ReportVisibility }): Promise<NearbyReport[]> {
    const box = boxAround(q, q.meters);
    const w = new Where([]);
    applyVisibility(w, q.visibility);
    w.add(`r.status IN ${OPEN}`);
    w.add(`r.category = ${w.param(q.category)}`);
    w.add(`r.lat BETWEEN ${w.param(box.minLat)} AND ${w.param(box.maxLat)}`);
    w.add(`r.lng BETWEEN ${w.param(box.minLng)} AND ${w.param(box.maxLng)}`);
    w.add(`r.id <> ${w.param(q.exceptId)}::bigint`);
    const r = await this.db.query<{ code: string; status: ReportStatus; category: string; created_at: Date; lat: number; lng: number; description: string }>(
      `SELECT r.code, r.status, r.category, r.created_at, r.lat, r.lng, r.description FROM reports r ${w.sql()} LIMIT 500`,
      w.values,
    );
    return r.rows
      .map((x) => ({ code: x.code, status: x.status, category: x.category, createdAt: x.created_at, description: x.description, lat: x.lat, lng: x.lng, distanceMeters: Math.round(distanceMeters(q, x)) }))
      .filter((x) => x.distanceMeters <= q.meters)
      .sort((a, b) => a.distanceMeters - b.distanceMeters)
      .slice(0, q.limit);
  }

  async actorNames(actors: ReadonlyArray<Pick<Actor, 'kind' | 'id'>>): Promise<Map<string, string>> {
    const ids = (kind: string) => [...new Set(actors.filter((a) => a.kind === kind && /^[1-9][0-9]{0,17}$/.test(a.id)).map((a) => a.id))];
    const out = new Map<string, string>();
    const staff = ids('staff');
    const keys = ids('integration');
    if (staff.length) {
      const r = await this.db.query<{ id: string; name: string }>('SELECT id::text AS id, display_name AS name FROM staff_users WHERE id = ANY($1::bigint[])', [staff]);
      for (const x of r.rows) out.set(`staff:${x.id}`, x.name);
    }
    if (keys.length) {
      const r = await this.db.query<{ id: string; name: string }>('SELECT id::text AS id, name FROM staff_api_keys WHERE id = ANY($1::bigint[])', [keys]);
      for (const x of r.rows) out.set(`integration:${x.id}`, x.name);
    }
    return out;
  }

  async changeCategory(reportId: string, c: { from: string; to: string; status: ReportStatus; dueAt: Date | null; proposedAgency: string | null | undefined; at: Date; actor: Pick<Actor, 'kind' | 'id'>; body: string | null }): Promise<boolean> {
    return this.db.tx(async (q) => {
      const up = await q.query(
        `UPDATE reports SET category = $4, due_at = COALESCE($5, due_at), updated_at = $6,
           proposed_agency = CASE WHEN $7 THEN $8 ELSE proposed_agency END
         WHERE id = $1 AND status = $2 AND category = $3`,
        [reportId, c.status, c.from, c.to, c.dueAt, c.at, c.proposedAgency !== undefined, c.proposedAgency ?? null],
      );
      if (up.rowCount !== 1) return false;
      await insertNote(q, reportId, { at: c.at, actor: c.actor, kind: 'category', status: c.status, body: c.body, from: c.from, to: c.to });
      return true;
    });
  }

  async addNote(reportId: string, n: { at: Date; actor: Pick<Actor, 'kind' | 'id'>; status: ReportStatus; body: string }): Promise<StaffNote> {
    return toNote(await insertNote(this.db, reportId, { ...n, kind: 'note' }));
  }

  async recordUpload(key: string, actor: Pick<Actor, 'kind' | 'id'>, at: Date): Promise<void> {
    await this.db.query('INSERT INTO staff_photo_uploads (media_key, actor_kind, actor_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (media_key) DO NOTHING', [key, actor.kind, actor.id, at]);
  }

  async uploadedKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const r = await this.db.query<{ media_key: string }>('SELECT media_key FROM staff_photo_uploads WHERE media_key = ANY($1::text[])', [keys]);
    return new Set(r.rows.map((x) => x.media_key));
  }

  async overdueByAgency(now: Date, codesPerGroup: number): Promise<OverdueGroup[]> {
    const r = await this.db.query<{ agency: string | null; total: number; codes: string[] }>(
      `SELECT agency, count(*)::int AS total, (array_agg(code ORDER BY due_at, id))[1:$2] AS codes
       FROM reports WHERE status IN ${OPEN} AND due_at < $1 GROUP BY agency ORDER BY agency NULLS FIRST`,
      [now, codesPerGroup],
    );
    return r.rows.map((x) => ({ agency: x.agency, total: x.total, codes: x.codes }));
  }
}

interface NoticeRow {
  id: string;
  created_at: Date;
  day: string;
  kind: 'overdue';
  agency: string | null;
  total: number;
  report_codes: string[];
}

/** Console notices (`staff_notices`): one per kind, agency and day. */
export class PgStaffNoticesRepo implements StaffNoticesRepo {
  constructor(private readonly db: Queryable) {}

  async record(n: Omit<StaffNotice, 'id'>): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO staff_notices (created_at, day, kind, agency, total, report_codes) VALUES ($1, $2::date, $3, $4, $5, $6)
       ON CONFLICT (kind, coalesce(agency, ''), day) DO NOTHING`,
      [n.createdAt, n.day, n.kind, n.agency, n.total, n.reportCodes],
    );
    return r.rowCount === 1;
  }

  async recent(audience: { agencies: readonly string[] | 'all'; ioc: boolean }, limit: number): Promise<StaffNotice[]> {
    const all = audience.agencies === 'all';
    const r = await this.db.query<NoticeRow>(
      `SELECT id::text AS id, created_at, to_char(day, 'YYYY-MM-DD') AS day, kind, agency, total, report_codes FROM staff_notices
       WHERE ($1 AND agency IS NOT NULL) OR agency = ANY($2::text[]) OR ($3 AND agency IS NULL)
       ORDER BY day DESC, id DESC LIMIT $4`,
      [all, all ? [] : audience.agencies, audience.ioc, limit],
    );
    return r.rows.map((x) => ({ id: x.id, createdAt: x.created_at, day: x.day, kind: x.kind, agency: x.agency, total: x.total, reportCodes: x.report_codes }));
  }
}
