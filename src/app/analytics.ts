/**
 * The dashboard's figures and the weekly report to the People's Committee. Every figure comes from
 * the report history (see `domain/analytics/figures.ts` for the definitions); a weekly report is the
 * figures of one week, stored when the Monday job (or a staff user) makes it, so what was sent can
 * be shown again exactly.
 */
import { addDays, isMonday, lastCompleteWeek, MAX_WEEKS, mondayOf, weeksRange, type CountRow, type FigureQuery, type Figures } from '../domain/analytics/figures';
import type { AnalyticsReader, StoredWeeklyReport, WeeklyReportsStore } from '../domain/analytics/ports';
import type { Clock } from '../domain/reports/ports';
import { DomainError } from '../domain/shared/errors';
import { formatW3cDatetime } from '../domain/shared/zoned-time';

export type AnalyticsScope = FigureQuery['scope'];

export interface AnalyticsDeps {
  readonly reader: AnalyticsReader;
  readonly store: WeeklyReportsStore;
  readonly clock: Clock;
  readonly timeZone: string;
}

export class Analytics {
  constructor(private readonly d: AnalyticsDeps) {}

  /**
   * The figures of `weeks` weeks from Monday `firstMonday` (city time).
   * @throws DomainError `analytics.bad-period` for a day that is not a Monday or a length outside 1…53.
   */
  async figures(firstMonday: string, weeks: number, scope: AnalyticsScope = null): Promise<Figures> {
    if (!isMonday(firstMonday) || !Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) {
      throw new DomainError('analytics.bad-period', `a period starts on a Monday and lasts 1 to ${MAX_WEEKS} weeks`);
    }
    const range = weeksRange(firstMonday, weeks, this.d.timeZone);
    const now = this.d.clock.now();
    const q: FigureQuery = { start: range.start, end: range.end, now, timeZone: this.d.timeZone, scope };
    const r = this.d.reader;
    const [weekly, byWard, byCategory, byAgency, byChannel, firstResponse, resolution, reopen, sat] = await Promise.all([
      r.weekly(q),
      r.breakdown(q, 'ward'),
      r.breakdown(q, 'category'),
      r.breakdown(q, 'agency'),
      r.breakdown(q, 'channel'),
      r.durations(q, 'response'),
      r.durations(q, 'resolution'),
      r.reopen(q),
      r.satisfaction(q),
    ]);
    const byWeek = new Map(weekly.map((w) => [w.key, w]));
    const filled: CountRow[] = range.mondays.map((m) => byWeek.get(m) ?? { key: m, received: 0, resolved: 0, overdue: 0 });
    const sum = (k: 'received' | 'resolved' | 'overdue') => filled.reduce((s, w) => s + w[k], 0);
    return {
      period: { start: firstMonday, end: addDays(firstMonday, 7 * weeks), weeks: range.mondays },
      asOf: formatW3cDatetime(now, this.d.timeZone),
      totals: { received: sum('received'), resolved: sum('resolved'), overdue: sum('overdue') },
      weekly: filled,
      byWard,
      byCategory,
      byAgency,
      byChannel,
      firstResponse,
      resolution,
      reopen: { resolved: reopen.resolved, reopened: reopen.reopened, rate: reopen.resolved ? reopen.reopened / reopen.resolved : null },
      satisfaction: { rated: sat.rated, average: sat.average, share4or5: sat.rated ? sat.good / sat.rated : null },
    };
  }

  /** The Monday `weeksBack - 1` weeks before this week's (a default period ending with the current week). */
  defaultStart(weeksBack: number): string {
    return addDays(mondayOf(this.d.clock.now(), this.d.timeZone), -7 * (weeksBack - 1));
  }

  /** The last week that has ended (the weekly report's default). */
  lastWeek(): string {
    return lastCompleteWeek(this.d.clock.now(), this.d.timeZone);
  }

  /** Computes and stores the report of a week (default: the last complete week). Idempotent per week. */
  async generateWeekly(weekStart: string | null, by: string): Promise<StoredWeeklyReport> {
    const week = weekStart ?? this.lastWeek();
    const figures = await this.figures(week, 1);
    const report: StoredWeeklyReport = { weekStart: week, figures, generatedAt: this.d.clock.now(), generatedBy: by };
    await this.d.store.save(report);
    return report;
  }

  storedWeekly(weekStart: string): Promise<StoredWeeklyReport | null> {
    return isMonday(weekStart) ? this.d.store.get(weekStart) : Promise.resolve(null);
  }

  listWeekly(limit = 60): Promise<Array<Omit<StoredWeeklyReport, 'figures'>>> {
    return this.d.store.list(limit);
  }
}
