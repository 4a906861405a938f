/**
 * The figures of the dashboard and the weekly report, read from `report_facts` (one row per report,
 * derived from `report_events` by the triggers of migration 014), and the stored weekly reports.
 * Each chart is one query over an index range of the period: received (`received_at`), resolved
 * (`first_resolved_at`), overdue (`due_at`), responses (`first_response_at`), ratings (`closed_at`).
 *
 * The counts per week and per breakdown read `report_weeks` (migration 017: the same counts kept per
 * city week by a trigger) when the period is whole weeks in the time zone the table is kept in; the
 * current week's overdue reports (which depend on the present moment) still come from report_facts.
 * Any other period is counted from report_facts directly.
 */
import type { AnalyticsReader, Breakdown, StoredWeeklyReport, WeeklyReportsStore } from '../domain/analytics/ports';
import type { CountRow, DurationStats, FigureQuery, Figures } from '../domain/analytics/figures';
import { mondayOf } from '../domain/analytics/figures';
import { zonedMidnight } from '../domain/shared/zoned-time';
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

/**
 * The kept weekly counts of the period ($1..$5, see PgAnalyticsRepo.weeks), with this week's
 * passed-due reports from report_facts ($6, $7): `key` of report_weeks and of report_facts.
 */
function weeksUnion(weeksKey: string, factsKey: string): string {
  const SCOPE = scopeSql(4);
  return `
    SELECT ${weeksKey} AS key, received AS rec, resolved AS res, CASE WHEN week < $3::date THEN late ELSE 0 END AS ovd
      FROM report_weeks WHERE week >= $1::date AND week < $2::date AND ${SCOPE}
    UNION ALL
    SELECT ${factsKey}, 0, 0, 1 FROM report_facts
     WHERE due_at >= $6 AND due_at < $7 AND (answered_at IS NULL OR answered_at > due_at) AND ${SCOPE}`;
}

interface CountSql {
  key: string | null;
  received: number;
  resolved: number;
  overdue: number;
}

const toCount = (r: CountSql): CountRow => ({ key: r.key ?? '', received: r.received, resolved: r.resolved, overdue: r.overdue });

export class PgAnalyticsRepo implements AnalyticsReader, WeeklyReportsStore {
  /** The time zone `report_weeks` is kept in, once {@link useTimeZone} has run. */
  private weeksTimeZone: string | null = null;

  constructor(private readonly db: Queryable) {}

  /**
   * Keeps `report_weeks` in `timeZone` (the city's): stores it and rebuilds the table when it
   * changed. Until this has run, every count is read from report_facts.
   */
  async useTimeZone(timeZone: string): Promise<void> {
    const changed = await this.db.query('UPDATE analytics_settings SET time_zone = $1 WHERE time_zone IS DISTINCT FROM $1 RETURNING 1', [timeZone]);
    if ((changed.rowCount ?? 0) > 0) await this.db.query('SELECT report_weeks_rebuild()');
    this.weeksTimeZone = timeZone;
  }

  async weekly(q: FigureQuery): Promise<CountRow[]> {
    const w = this.weeks(q);
    if (w) {
      const r = await this.db.query<CountSql>(
        `SELECT to_char(key, 'YYYY-MM-DD') AS key, sum(rec)::int AS received, sum(res)::int AS resolved, sum(ovd)::int AS overdue
           FROM (${weeksUnion('week', '(date_trunc(\'week\', due_at AT TIME ZONE $8))::date')}) x
          GROUP BY x.key HAVING sum(rec) + sum(res) + sum(ovd) > 0 ORDER BY x.key`,
        [...w.params, q.timeZone],
      );
      return r.rows.map(toCount);
    }
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
    const w = this.weeks(q);
    const r = w
      ? await this.db.query<CountSql>(
          `SELECT key, sum(rec)::int AS received, sum(res)::int AS resolved, sum(ovd)::int AS overdue
             FROM (${weeksUnion(`NULLIF(${col}, '')`, col)}) x
            GROUP BY key HAVING sum(rec) + sum(res) + sum(ovd) > 0 ORDER BY sum(rec) DESC, key NULLS LAST`,
          w.params,
        )
      : await this.db.query<CountSql>(
          `SELECT key, sum(rec)::int AS received, sum(res)::int AS resolved, sum(ovd)::int AS overdue
             FROM (${countsUnion(() => col, 4)}) x
            GROUP BY key ORDER BY sum(rec) DESC, key NULLS LAST`,
          countParams(q),
        );
    return r.rows.map(toCount);
  }

  /**
   * The parameters of a `report_weeks` query, or null when the period is not whole weeks in the
   * table's time zone: $1 first Monday, $2 the Monday after, $3 this week's Monday, $4/$5 scope,
   * $6/$7 the part of this week whose due times have passed (empty outside the period).
   */
  private weeks(q: FigureQuery): { params: unknown[] } | null {
    const tz = q.timeZone;
    if (this.weeksTimeZone !== tz) return null;
    const first = mondayOf(q.start, tz);
    const after = mondayOf(q.end, tz);
    if (zonedMidnight(first, tz)?.getTime() !== q.start.getTime() || zonedMidnight(after, tz)?.getTime() !== q.end.getTime()) return null;
    const current = mondayOf(q.now, tz);
    const currentStart = zonedMidnight(current, tz);
    if (!currentStart) return null;
    const liveStart = new Date(Math.max(currentStart.getTime(), q.start.getTime()));
    const liveEnd = new Date(Math.min(q.end.getTime(), q.now.getTime()));
    return { params: [first, after, current, ...scopeValues(q), liveStart, liveEnd] };
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
