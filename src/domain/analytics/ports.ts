/**
 * Ports of analytics: the read model of figures (one query per chart, so each can be measured) and
 * the store of weekly reports. `storage/analytics-repo.ts` implements both.
 */
import type { CountRow, DurationStats, FigureQuery, Figures } from './figures';

export type Breakdown = 'ward' | 'category' | 'agency' | 'channel';

export interface AnalyticsReader {
  /** Received, resolved and overdue per week (Monday, city time). */
  weekly(q: FigureQuery): Promise<CountRow[]>;
  /** Received, resolved and overdue per ward, category, agency or channel (key '' = not known yet). */
  breakdown(q: FigureQuery, by: Breakdown): Promise<CountRow[]>;
  /** Time to first response (`response`) or to first resolution (`resolution`), in hours. */
  durations(q: FigureQuery, what: 'response' | 'resolution'): Promise<DurationStats>;
  /** Reports first resolved in the period, and how many of them were reopened. */
  reopen(q: FigureQuery): Promise<{ resolved: number; reopened: number }>;
  /** Ratings of reports closed in the period. */
  satisfaction(q: FigureQuery): Promise<{ rated: number; average: number | null; good: number }>;
}

export interface StoredWeeklyReport {
  /** The week's Monday (YYYY-MM-DD). */
  readonly weekStart: string;
  readonly figures: Figures;
  readonly generatedAt: Date;
  /** `system` (the Monday job) or the staff actor's id. */
  readonly generatedBy: string;
}

export interface WeeklyReportsStore {
  /** Saves (or replaces) the report of a week. */
  save(r: StoredWeeklyReport): Promise<void>;
  get(weekStart: string): Promise<StoredWeeklyReport | null>;
  /** Newest week first. */
  list(limit: number): Promise<Array<Omit<StoredWeeklyReport, 'figures'>>>;
}
