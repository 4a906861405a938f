/**
 * The figures of the dashboard and of the weekly report, and the calendar they are counted in.
 * Pure. Every figure comes from the report history (`report_events`, through the `report_facts`
 * rows derived from it); the definitions:
 *
 * - **received** in a week: reports whose first event (`received`) falls in it.
 * - **resolved** in a week: reports whose *first* `resolved` event falls in it (a report resolved,
 *   reopened and resolved again counts once, in the week of its first resolution).
 * - **overdue** in a week: reports whose SLA due time falls in it, has passed, and by which they had
 *   no answer (no `resolved`, `rejected` or `duplicate` event at or before the due time).
 * - **time to first response**: from filing to the first move out of `received` made by staff or an
 *   integration, over reports first answered so in the period.
 * - **time to resolution**: from filing to the first `resolved`, over reports first resolved in the
 *   period. Medians and 90th percentiles are continuous percentiles, in hours.
 * - **reopen rate**: of the reports first resolved in the period, the share reopened at least once
 *   (a `resolved → in_progress` event) by the time the figures are computed.
 * - **satisfaction**: the ratings (1–5) of reports closed in the period: their average, and the
 *   share that are 4 or 5.
 *
 * Weeks run Monday 00:00 to Monday 00:00 in the city's time zone.
 */
import { formatW3cDatetime, zonedMidnight } from '../shared/zoned-time';

export interface CountRow {
  /** A Monday (YYYY-MM-DD), a ward code, a category slug, an agency id or a channel. */
  readonly key: string;
  readonly received: number;
  readonly resolved: number;
  readonly overdue: number;
}

export interface DurationStats {
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface Figures {
  /** First Monday and the Monday after the last week (exclusive), and each week's Monday. */
  readonly period: { readonly start: string; readonly end: string; readonly weeks: readonly string[] };
  /** When the figures were computed (overdue and reopen counts depend on it). */
  readonly asOf: string;
  readonly totals: { readonly received: number; readonly resolved: number; readonly overdue: number };
  readonly weekly: readonly CountRow[];
  readonly byWard: readonly CountRow[];
  readonly byCategory: readonly CountRow[];
  readonly byAgency: readonly CountRow[];
  readonly byChannel: readonly CountRow[];
  readonly firstResponse: DurationStats;
  readonly resolution: DurationStats;
  readonly reopen: { readonly resolved: number; readonly reopened: number; readonly rate: number | null };
  readonly satisfaction: { readonly rated: number; readonly average: number | null; readonly share4or5: number | null };
}

/** What a figure query covers: instants, and the agency user's scope when there is one. */
export interface FigureQuery {
  readonly start: Date;
  readonly end: Date;
  readonly now: Date;
  readonly timeZone: string;
  /** Only reports routed to these agencies or located in these wards (agency users); null: all. */
  readonly scope: { readonly agencies: readonly string[]; readonly wards: readonly string[] } | null;
}

const DAY = 86_400_000;

/** YYYY-MM-DD of an instant in `timeZone`. */
export function localDate(d: Date, timeZone: string): string {
  return formatW3cDatetime(d, timeZone).slice(0, 10);
}

/** `isoDate` plus `days` (calendar arithmetic, no time zone). */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The Monday (YYYY-MM-DD) of the week containing `d` in `timeZone`. */
export function mondayOf(d: Date, timeZone: string): string {
  const day = localDate(d, timeZone);
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** Whether `s` is a YYYY-MM-DD that is a Monday. */
export function isMonday(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s && new Date(`${s}T00:00:00Z`).getUTCDay() === 1;
}

/** The last week that has ended at `now` (its Monday). */
export function lastCompleteWeek(now: Date, timeZone: string): string {
  return addDays(mondayOf(now, timeZone), -7);
}

/** Instants of the weeks from Monday `firstMonday`, `weeks` long. */
export function weeksRange(firstMonday: string, weeks: number, timeZone: string): { start: Date; end: Date; mondays: string[] } {
  const mondays = Array.from({ length: weeks }, (_, i) => addDays(firstMonday, 7 * i));
  const start = zonedMidnight(firstMonday, timeZone)!;
  const end = zonedMidnight(addDays(firstMonday, 7 * weeks), timeZone)!;
  return { start, end, mondays };
}

/** The dashboard shows at most a year of weeks at once. */
export const MAX_WEEKS = 53;
