/**
 * The report list's query string, shared by the console list, the map, the CSV export and
 * `GET /api/staff/v1/reports`:
 *
 * | parameter  | values                                                    |
 * |------------|-----------------------------------------------------------|
 * | `status`   | status slugs, repeated or comma-separated                 |
 * | `category` | category slugs                                            |
 * | `ward`     | ward codes of the city profile                            |
 * | `agency`   | agency ids of the city profile, or `none` (not assigned)  |
 * | `overdue`  | `true` / `1`: open and past due                           |
 * | `reopened` | `true` / `1`: the resident said it was not fixed          |
 * | `from`, `to` | filing day range, `YYYY-MM-DD` in the city's time zone  |
 * | `q`        | 3–100 characters on code, description, address (accents and case ignored) |
 * | `sort`     | `newest` (default), `oldest`, `due`, `updated`            |
 * | `cursor`   | `nextCursor` of the previous page                         |
 * | `limit`    | 1–200 (default 50)                                        |
 *
 * Unknown values answer 422 naming the parameter; unknown parameters are ignored.
 */
import { isReportStatus, type ReportStatus } from '../../domain/reports/lifecycle';
import {
  DEFAULT_PAGE_SIZE,
  DeskError,
  EMPTY_FILTER,
  MAX_PAGE_SIZE,
  MAX_QUERY_CHARS,
  MIN_QUERY_CHARS,
  NO_AGENCY,
  isReportSort,
  type ReportFilter,
} from '../../domain/reports/report-desk';

export interface FilterChoices {
  readonly categories: readonly string[];
  readonly wards: readonly string[];
  readonly agencies: readonly string[];
}

/** The values a filter may name: the categories, the profile's wards and agencies. */
export function filterChoices(d: { categories: ReadonlyArray<{ slug: string }>; routing: { wards: ReadonlyArray<{ code: string }> }; city: { agencies: ReadonlyArray<{ id: string }> } }): FilterChoices {
  return { categories: d.categories.map((c) => c.slug), wards: d.routing.wards.map((w) => w.code), agencies: d.city.agencies.map((a) => a.id) };
}

export interface ReportQuery {
  readonly filter: ReportFilter;
  readonly cursor: string | null;
  readonly limit: number;
}

type Problem = { field: string; code: string };

/** Values of a parameter, repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`). */
function values(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [...new Set(list.filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

function one(raw: unknown): string | null {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

const flag = (raw: unknown, field: string, problems: Problem[]): boolean => {
  const v = one(raw);
  if (v === null || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1' || v === 'on') return true;
  problems.push({ field, code: 'filter.not-a-flag' });
  return false;
};

function day(raw: unknown, field: string, problems: Problem[]): string | null {
  const v = one(raw);
  if (v === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) {
    problems.push({ field, code: 'filter.not-a-date' });
    return null;
  }
  return v;
}

/** Parses a list query; throws DeskError `report.bad-filter` (422) naming every bad parameter. */
export function parseReportQuery(query: Record<string, unknown>, choices: FilterChoices): ReportQuery {
  const problems: Problem[] = [];
  const pick = <T extends string>(field: string, known: (v: string) => v is T): T[] => {
    const list = values(query[field]);
    if (list.some((v) => !known(v))) problems.push({ field, code: 'filter.unknown-value' });
    return list.filter(known);
  };
  const among = (list: readonly string[]) => (v: string): v is string => list.includes(v);

  const statuses: ReportStatus[] = pick('status', isReportStatus);
  const categories = pick('category', among(choices.categories));
  const wards = pick('ward', among(choices.wards));
  const agencies = pick('agency', among([...choices.agencies, NO_AGENCY]));
  const overdue = flag(query.overdue, 'overdue', problems);
  const reopened = flag(query.reopened, 'reopened', problems);
  const from = day(query.from, 'from', problems);
  const to = day(query.to, 'to', problems);
  if (from && to && from > to) problems.push({ field: 'to', code: 'filter.range-reversed' });

  let q = one(query.q)?.normalize('NFC') ?? null;
  if (q !== null) {
    q = q.replace(/\s+/g, ' ');
    const n = [...q].length;
    if (n < MIN_QUERY_CHARS) problems.push({ field: 'q', code: 'filter.q-too-short' });
    else if (n > MAX_QUERY_CHARS) problems.push({ field: 'q', code: 'filter.q-too-long' });
  }

  const sortRaw = one(query.sort) ?? EMPTY_FILTER.sort;
  if (!isReportSort(sortRaw)) problems.push({ field: 'sort', code: 'filter.unknown-value' });
  const sort = isReportSort(sortRaw) ? sortRaw : EMPTY_FILTER.sort;

  const limitRaw = one(query.limit);
  const limit = limitRaw === null ? DEFAULT_PAGE_SIZE : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) problems.push({ field: 'limit', code: 'filter.limit-out-of-range' });

  const cursor = one(query.cursor);
  if (problems.length > 0) {
    throw new DeskError('report.bad-filter', `invalid list parameter(s): ${[...new Set(problems.map((p) => p.field))].join(', ')}`, problems);
  }
  return { filter: { statuses, categories, wards, agencies, overdue, reopened, from, to, q, sort }, cursor, limit };
}

/** The query string of a filter (links to the next page, the map, the CSV export). */
export function filterQueryString(f: ReportFilter, extra: Record<string, string | null> = {}): string {
  const p = new URLSearchParams();
  for (const s of f.statuses) p.append('status', s);
  for (const c of f.categories) p.append('category', c);
  for (const w of f.wards) p.append('ward', w);
  for (const a of f.agencies) p.append('agency', a);
  if (f.overdue) p.set('overdue', 'true');
  if (f.reopened) p.set('reopened', 'true');
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  if (f.sort !== EMPTY_FILTER.sort) p.set('sort', f.sort);
  for (const [k, v] of Object.entries(extra)) if (v !== null) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
