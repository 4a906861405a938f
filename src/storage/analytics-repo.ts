/**
 * The figures of the dashboard and the weekly report, read from `report_facts` (one row per report,
 * derived from `report_events` by the triggers of migration 014), and the stored weekly reports.
 * Each chart is one query over an index range of the period: received (`received_at`), resolved
 * (`first_resolved_at`), overdue (`due_at`), responses (`first_response_at`), ratings (`closed_at`).
 */
import type { AnalyticsReader, Breakdown, StoredWeeklyReport, WeeklyReportsStore } from '../domain/analytics/ports';
import type { CountRow, DurationStats, FigureQuery, Figures } from '../domain/analytics/figures';
import type { Queryable } from './db';

const COLUMN: Readonly<Record<Breakdown, string>> = { ward: 'ward', category: 'category', agency: 'agency', channel: 'channel' };

/** The agency user's agencies and wards, as parameters `$a` and `$a+1` (NULL agencies: everything). */
const scopeSql = (a: number) => `($${a}::text[] IS NULL OR agency = ANY($${a}::text[]) OR ward = ANY($${a + 1}::text[]))`;
const scopeValues = (q: FigureQuery): unknown[] => [q.scope ? [...q.scope.agencies] : null, q.scope ? [...q.scope.wards] : []];

/** $1 start, $2 end, $3 now, $4 time zone, $5/$6 scope. */
function weeklyParams(q: FigureQuery): unknown[] {
  return [q.start, q.end, q.now, q.timeZone, ...scopeValues(q)];
}

/** $1 start, $2 end, $3 now, $4/$5 scope. */
function countParams(q: FigureQuery): unknown[] {
  return [q.start, q.end, q.now, ...scopeValues(q)];
}

/** $1 start, $2 end, $3/$4 scope. */
function rangeParams(q: FigureQuery): unknown[] {
  return [q.start, q.end, ...scopeValues(q)];
}

/** Rows of (key, received, resolved, overdue) events in the period, `key` an SQL expression. */
function countsUnion(key: (col: string) => string, scopeAt: number): string {
  const SCOPE = scopeSql(scopeAt);
  return `
    SELECT ${key('received_at')} AS key, 1 AS rec, 0 AS res, 0 AS ovd FROM report_facts
     WHERE received_at >= $1 AND received_at < $2 AND ${SCOPE}
    UNION ALL
    SELECT ${key('first_resolved_at')}, 0, 1, 0 FROM report_facts
     WHERE first_resolved_at >= $1 AND first_resolved_at < $2 AND ${SCOPE}
    UNION ALL
    SELECT ${key('due_at')}, 0, 0, 1 FROM report_facts
     WHERE due_at >= $1 AND due_at < LEAST($2, $3) AND (answered_at IS NULL OR answered_at > due_at) AND ${SCOPE}`;
}

interface CountSql {
  key: string | null;
  received: number;
  resolved: number;
  overdue: number;
}

const toCount = (r: CountSql): CountRow => ({ key: r.key ?? '', received: r.received, resolved: r.resolved, overdue: r.overdue });

export class PgAnalyticsRepo implements AnalyticsReader, WeeklyReportsStore {
  constructor(private readonly db: Queryable) {}

  async weekly(q: FigureQuery): Promise<CountRow[]> {
    const r = await this.db.query<CountSql>(
      // Grouped on the week's start and formatted once per week, not once per report.
      `SELECT to_char(key, 'YYYY-MM-DD') AS key, sum(rec)::int AS received, sum(res)::int AS resolved, sum(ovd)::int AS overdue
         FROM (${countsUnion((col) => `date_trunc('week', ${col} AT TIME ZONE $4)`, 5)}) x
        GROUP BY x.key ORDER BY x.key`,
      weeklyParams(q),
    );
    return r.rows.map(toCount);
  }

  async breakdown(q: FigureQuery, by: Breakdown): Promise<CountRow[]> {
    const col = COLUMN[by];
    const r = await this.db.query<CountSql>(
      `SELECT key, sum(rec)::int AS received, sum(res)::int AS resolved, sum(ovd)::int AS overdue
         FROM (${countsUnion(() => col, 4)}) x
        GROUP BY key ORDER BY sum(rec) DESC, key NULLS LAST`,
      countParams(q),
    );
    return r.rows.map(toCount);
  }

  async durations(q: FigureQuery, what: 'response' | 'resolution'): Promise<DurationStats> {
    const col = what === 'response' ? 'first_response_at' : 'first_resolved_at';
    const r = await this.db.query<{ n: number; median: number | null; p90: number | null }>(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (${col} - received_at)) / 3600.0) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (${col} - received_at)) / 3600.0) AS p90
         FROM report_facts
        WHERE ${col} >= $1 AND ${col} < $2 AND ${scopeSql(3)}`,
      rangeParams(q),
    );
    const row = r.rows[0]!;
    return { count: row.n, medianHours: row.median === null ? null : Number(row.median), p90Hours: row.p90 === null ? null : Number(row.p90) };
  }

  async reopen(q: FigureQuery): Promise<{ resolved: number; reopened: number }> {
    const r = await this.db.query<{ resolved: number; reopened: number }>(
      `SELECT count(*)::int AS resolved, (count(*) FILTER (WHERE reopen_count > 0))::int AS reopened
         FROM report_facts
        WHERE first_resolved_at >= $1 AND first_resolved_at < $2 AND ${scopeSql(3)}`,
      rangeParams(q),
    );
    return r.rows[0]!;
  }

  async satisfaction(q: FigureQuery): Promise<{ rated: number; average: number | null; good: number }> {
    const r = await this.db.query<{ rated: number; average: number | null; good: number }>(
      `SELECT count(*)::int AS rated, avg(rating)::float8 AS average, (count(*) FILTER (WHERE rating >= 4))::int AS good
         FROM report_facts
        WHERE closed_at >= $1 AND closed_at < $2 AND rating IS NOT NULL AND ${scopeSql(3)}`,
      rangeParams(q),
    );
    return r.rows[0]!;
  }

  async save(w: StoredWeeklyReport): Promise<void> {
    await this.db.query(
      `INSERT INTO weekly_reports (week_start, figures, generated_at, generated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (week_start) DO UPDATE SET figures = EXCLUDED.figures, generated_at = EXCLUDED.generated_at, generated_by = EXCLUDED.generated_by`,
      [w.weekStart, JSON.stringify(w.figures), w.generatedAt, w.generatedBy],
    );
  }

  async get(weekStart: string): Promise<StoredWeeklyReport | null> {
    const r = await this.db.query<{ week_start: string; figures: Figures; generated_at: Date; generated_by: string }>(
      "SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, figures, generated_at, generated_by FROM weekly_reports WHERE week_start = $1",
      [weekStart],
    );
    const row = r.rows[0];
    return row ? { weekStart: row.week_start, figures: row.figures, generatedAt: row.generated_at, generatedBy: row.generated_by } : null;
  }

  async list(limit: number): Promise<Array<Omit<StoredWeeklyReport, 'figures'>>> {
    const r = await this.db.query<{ week_start: string; generated_at: Date; generated_by: string }>(
      "SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, generated_at, generated_by FROM weekly_reports ORDER BY week_start DESC LIMIT $1",
      [limit],
    );
    return r.rows.map((x) => ({ weekStart: x.week_start, generatedAt: x.generated_at, generatedBy: x.generated_by }));
  }
}
