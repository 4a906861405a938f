/**
 * GeoReport v2 rules that are not HTTP: the date window and result cap of `GET requests`, w3
 * datetimes, the statuses of requests and of updates, and what a status POSTed to
 * `servicerequestupdates` asks of the report lifecycle. Pure.
 */
import type { ReportStatus, TransitionRequest } from '../reports/lifecycle';
import { zonedMidnight } from '../shared/zoned-time';

export { formatW3cDatetime } from '../shared/zoned-time';

/** `GET requests` without dates covers the last 90 days; a range may not span more. */
export const OPEN311_WINDOW_DAYS = 90;
/** `GET requests` answers at most this many requests (newest first). */
export const OPEN311_MAX_RESULTS = 1000;

const DAY = 86_400_000;

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A w3 datetime (`2010-01-01T00:00:00Z`, `1994-11-05T08:15:30-05:00`) or a date (`2010-01-01`,
 * midnight in `timeZone`); null when it is neither. A time without a zone is refused: the
 * specification requires one.
 */
export function parseW3cDatetime(raw: string, timeZone: string): Date | null {
  const m = W3C.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h === undefined) return zonedMidnight(`${y}-${mo}-${d}`, timeZone);
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ? `.${frac.slice(0, 3)}` : ''}${zone}`;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  // Reject impossible calendar dates (Date.parse rolls 2010-02-31 over).
  const back = new Date(t + offsetMinutes(zone!) * 60_000);
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() + 1 !== Number(mo) || back.getUTCDate() !== Number(d)) return null;
  return new Date(t);
}

function offsetMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

export type WindowProblem = 'start-after-end' | 'range-too-long';

/**
 * The requested_datetime window of `GET requests`: without dates, the last 90 days up to `now`;
 * with one date, 90 days from or up to it; both dates may not span more than 90 days.
 */
export function requestWindow(start: Date | null, end: Date | null, now: Date): { start: Date; end: Date } | { problem: WindowProblem } {
  const span = OPEN311_WINDOW_DAYS * DAY;
  const s = start ?? new Date((end ?? now).getTime() - span);
  const e = end ?? (start ? new Date(start.getTime() + span) : now);
  if (s.getTime() > e.getTime()) return { problem: 'start-after-end' };
  if (e.getTime() - s.getTime() > span) return { problem: 'range-too-long' };
  return { start: s, end: e };
}

/** Extended statuses of an update (mySociety's Open311 extension), lower case as listed. */
export type UpdateStatus = 'open' | 'closed' | 'fixed' | 'in_progress' | 'action_scheduled' | 'duplicate' | 'no_further_action' | 'reopen';

/** The status an update reports for one history event of a report. */
export function updateStatusOf(from: ReportStatus | null, to: ReportStatus): UpdateStatus {
  switch (to) {
    case 'received':
      return 'open';
    case 'assigned':
      return 'action_scheduled';
    case 'in_progress':
      return from === 'resolved' ? 'reopen' : 'in_progress';
    case 'resolved':
      return 'fixed';
    case 'rejected':
      return 'no_further_action';
    case 'duplicate':
      return 'duplicate';
    case 'closed':
      return 'closed';
  }
}

/** What an integration may POST as an update's `status`, upper case as the extension writes it. */
export const POSTABLE_UPDATE_STATUSES = [
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'FIXED',
  'CLOSED',
  'DUPLICATE',
  'NO_FURTHER_ACTION',
  'NOT_COUNCILS_RESPONSIBILITY',
  'INTERNAL_REFERRAL',
  'REOPEN',
  'OPEN',
] as const;

export interface UpdateInput {
  /** The extension's status (any case), or one of our own statuses (`in_progress`, `resolved`…). */
  readonly status: string;
  readonly description: string | null;
  /** Our extension: the agency id for INTERNAL_REFERRAL / `assigned`. */
  readonly agency: string | null;
  /** Our extension: the other report's code for DUPLICATE. */
  readonly duplicateOf: string | null;
  readonly photoIds: readonly string[];
}

/**
 * The lifecycle change an update asks for, or `unsupported` for a status we do not take.
 * FIXED and CLOSED resolve (with the description as the public reply and media as result photos);
 * IN_PROGRESS, ACTION_SCHEDULED and INVESTIGATING start the work; REOPEN and OPEN reopen a
 * resolved report; NO_FURTHER_ACTION and NOT_COUNCILS_RESPONSIBILITY reject (the description is the
 * reason); DUPLICATE needs `duplicate_of`; INTERNAL_REFERRAL re-routes to `agency`. The lifecycle
 * then decides as it does for the console.
 */
export function transitionForUpdate(u: UpdateInput): TransitionRequest | 'unsupported' {
  const note = u.description;
  switch (u.status.trim().toUpperCase()) {
    case 'IN_PROGRESS':
    case 'ACTION_SCHEDULED':
    case 'INVESTIGATING':
    case 'REOPEN':
    case 'OPEN':
      return { to: 'in_progress', note };
    case 'FIXED':
    case 'CLOSED':
    case 'RESOLVED':
      return { to: 'resolved', note, photoIds: u.photoIds };
    case 'NO_FURTHER_ACTION':
    case 'NOT_COUNCILS_RESPONSIBILITY':
    case 'REJECTED':
      return { to: 'rejected', note };
    case 'DUPLICATE':
      return { to: 'duplicate', note, duplicateOf: u.duplicateOf };
    case 'INTERNAL_REFERRAL':
    case 'ASSIGNED':
      return { to: 'assigned', note, agency: u.agency };
    default:
      return 'unsupported';
  }
}
