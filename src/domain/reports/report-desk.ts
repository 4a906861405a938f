/**
 * The staff report desk's rules: how the report list is filtered and sorted, what "overdue" and
 * "how late" mean, what a staff user may do beyond status changes (edit the category, write an
 * internal note), and the ports the desk's use cases need. Pure.
 *
 * Choices where the issue is silent:
 * - Overdue: an open report (received, assigned, in progress) past its due time. A resolved report
 *   answered late keeps its lateness (resolved − due) on the report page, but is not "overdue".
 * - The category may be corrected by the IOC (admin, operator) until the report is final; while the
 *   report is open its due time follows the new category's SLA (counted from filing), and while it
 *   is still `received` the routing proposal is recomputed.
 * - Internal notes: anyone who works reports (admin, operator, the agency on its own reports), at
 *   any status; never shown to the resident, never notified.
 */
import { DomainError } from '../shared/errors';
import type { Actor, StaffActor } from '../staff/actor';
import { can, type ReportVisibility } from '../staff/permissions';
import { FINAL_STATUSES, MAX_INTERNAL_NOTE, OPEN_STATUSES, type ReportStatus } from './lifecycle';
import type { Report, ReportEvent } from './report';

export const REPORT_SORTS = ['newest', 'oldest', 'due', 'updated'] as const;
export type ReportSort = (typeof REPORT_SORTS)[number];
export const isReportSort = (v: unknown): v is ReportSort => typeof v === 'string' && (REPORT_SORTS as readonly string[]).includes(v);

/** `agency=none`: reports not yet assigned to any agency. */
export const NO_AGENCY = 'none';

/** What the console's list, the API list, the map and the CSV export filter on. */
export interface ReportFilter {
  readonly statuses: readonly ReportStatus[];
  readonly categories: readonly string[];
  readonly wards: readonly string[];
  /** Agency ids, or {@link NO_AGENCY}. */
  readonly agencies: readonly string[];
  readonly overdue: boolean;
  readonly reopened: boolean;
  /** Filed on or after this day (YYYY-MM-DD, the city's time zone). */
  readonly from: string | null;
  /** Filed on or before this day (YYYY-MM-DD, the city's time zone). */
  readonly to: string | null;
  /** Free text on the code, the description and the address (accents and case ignored). */
  readonly q: string | null;
  readonly sort: ReportSort;
}

export const EMPTY_FILTER: ReportFilter = { statuses: [], categories: [], wards: [], agencies: [], overdue: false, reopened: false, from: null, to: null, q: null, sort: 'newest' };

/** Where a page ends: the sort key of its last row (ISO time) and its id. */
export interface ReportCursor {
  readonly sort: ReportSort;
  readonly key: string;
  readonly id: string;
}

export const MIN_QUERY_CHARS = 3;
export const MAX_QUERY_CHARS = 100;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** A report as staff see it: the report and the agency the routing table proposed at filing. */
export interface StaffReport extends Report {
  readonly proposedAgency: string | null;
}

/** An internal note or a category edit (staff only). */
export interface StaffNote {
  readonly id: string;
  readonly at: Date;
  readonly actor: Pick<Actor, 'kind' | 'id'>;
  readonly kind: 'note' | 'category';
  /** The report's status when it was written. */
  readonly status: ReportStatus;
  readonly body: string | null;
  readonly categoryFrom: string | null;
  readonly categoryTo: string | null;
}

/** One line of a report's history as staff see it: a status change, an internal note or a category edit. */
export interface TimelineEntry {
  readonly kind: 'status' | 'note' | 'category';
  readonly at: Date;
  readonly from: ReportStatus | null;
  readonly to: ReportStatus;
  readonly actor: Pick<Actor, 'kind' | 'id'>;
  readonly note: string | null;
  readonly internalNote: string | null;
  readonly categoryFrom: string | null;
  readonly categoryTo: string | null;
  /** What staff wrote: the note, or the reason of a category edit (null for status changes). */
  readonly body: string | null;
}

/** Status events and notes in time order (a note sits at the report's status when it was written). */
export function timeline(events: readonly ReportEvent[], notes: readonly StaffNote[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...events.map((e) => ({ kind: 'status' as const, at: e.at, from: e.from, to: e.to, actor: e.actor, note: e.publicNote, internalNote: e.internalNote, categoryFrom: null, categoryTo: null, body: null })),
    ...notes.map((n) => ({
      kind: n.kind,
      at: n.at,
      from: n.status,
      to: n.status,
      actor: n.actor,
      note: null,
      internalNote: n.kind === 'category' ? categoryNoteText(n) : n.body,
      categoryFrom: n.categoryFrom,
      categoryTo: n.categoryTo,
      body: n.body,
    })),
  ];
  // Stable: at equal times, status events (written first by the same request) stay first.
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i).map((x) => x.e);
}

/** The internal-note text of a category edit: `category: waste → trees` (and the staff's reason). */
export function categoryNoteText(n: Pick<StaffNote, 'categoryFrom' | 'categoryTo' | 'body'>): string {
  return `category: ${n.categoryFrom ?? '?'} → ${n.categoryTo ?? '?'}${n.body ? ` (${n.body})` : ''}`;
}

/** SLA state of a report at `now`. */
export interface SlaState {
  /** Open and past its due time. */
  readonly overdue: boolean;
  /** How late: open → now − due; resolved or closed late → resolved − due; else null. */
  readonly lateMs: number | null;
  /** Open and not yet due: time left. */
  readonly leftMs: number | null;
}

export function slaState(r: Pick<Report, 'status' | 'dueAt' | 'resolvedAt'>, now: Date): SlaState {
  if (!r.dueAt) return { overdue: false, lateMs: null, leftMs: null };
  const due = r.dueAt.getTime();
  if (OPEN_STATUSES.includes(r.status)) {
    const late = now.getTime() - due;
    return late > 0 ? { overdue: true, lateMs: late, leftMs: null } : { overdue: false, lateMs: null, leftMs: -late };
  }
  if (r.resolvedAt && r.resolvedAt.getTime() > due) return { overdue: false, lateMs: r.resolvedAt.getTime() - due, leftMs: null };
  return { overdue: false, lateMs: null, leftMs: null };
}

/** `2 ngày 3 giờ` / `2 d 3 h` style parts of a duration (days, hours, minutes; the two largest). */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

export type DeskErrorCode =
  | 'report.not-found'
  | 'report.forbidden'
  | 'report.final'
  | 'report.unknown-category'
  | 'report.same-category'
  | 'report.note-required'
  | 'report.note-too-long'
  | 'report.unknown-photo'
  | 'report.photo-required'
  | 'report.bad-filter'
  | 'report.bad-cursor'
  | 'photo.missing'
  | 'photo.unsupported'
  | 'photo.corrupt'
  | 'photo.too-large'
  | 'photo.too-many-pixels';

export type DeskErrorKind = 'forbidden' | 'not-found' | 'conflict' | 'invalid';

const DESK_KIND: Record<DeskErrorCode, DeskErrorKind> = {
  'report.not-found': 'not-found',
  'report.forbidden': 'forbidden',
  'report.final': 'conflict',
  'report.unknown-category': 'invalid',
  'report.same-category': 'invalid',
  'report.note-required': 'invalid',
  'report.note-too-long': 'invalid',
  'report.unknown-photo': 'invalid',
  'report.photo-required': 'invalid',
  'report.bad-filter': 'invalid',
  'report.bad-cursor': 'invalid',
  'photo.missing': 'invalid',
  'photo.unsupported': 'invalid',
  'photo.corrupt': 'invalid',
  'photo.too-large': 'invalid',
  'photo.too-many-pixels': 'invalid',
};

/** A refused desk action; `kind` maps to 403 / 404 / 409 / 422 (in that order of checks). */
export class DeskError extends DomainError {
  readonly kind: DeskErrorKind;
  constructor(readonly code: DeskErrorCode, message: string, readonly fields?: ReadonlyArray<{ field: string; code: string }>) {
    super(code, message);
    this.name = 'DeskError';
    this.kind = DESK_KIND[code];
  }
}

export const isDeskErrorCode = (v: string): v is DeskErrorCode => v in DESK_KIND;

/** May this actor correct a report's category? (admin, operator) */
export const mayEditCategory = (actor: StaffActor): boolean => can(actor.role, 'reports.triage');

/** May this actor write internal notes? (admin, operator, agency; the agency on its own reports) */
export const mayWriteNotes = (actor: StaffActor): boolean => can(actor.role, 'reports.work') || can(actor.role, 'reports.triage');

/** May this actor upload result photos? (those who resolve: admin, operator, agency) */
export const mayUploadPhotos = (actor: StaffActor): boolean => can(actor.role, 'reports.work');

/** Whether the category may still change (not once the report is final). */
export const categoryEditable = (status: ReportStatus): boolean => !FINAL_STATUSES.includes(status);

/** A cleaned internal note, or the refusal. */
export function checkInternalNote(text: unknown): string {
  const t = typeof text === 'string' ? text.normalize('NFC').trim() : '';
  if (t === '') throw new DeskError('report.note-required', 'the note is empty', [{ field: 'text', code: 'report.note-required' }]);
  if ([...t].length > MAX_INTERNAL_NOTE) throw new DeskError('report.note-too-long', `a note is at most ${MAX_INTERNAL_NOTE} characters`, [{ field: 'text', code: 'report.note-too-long' }]);
  return t;
}

/** A map marker (no personal data: code, status, category, point, overdue). */
export interface MapPoint {
  readonly code: string;
  readonly status: ReportStatus;
  readonly category: string;
  readonly lat: number;
  readonly lng: number;
  readonly overdue: boolean;
}

/** An open report of the same category near another one (possible duplicate). */
export interface NearbyReport {
  readonly code: string;
  readonly status: ReportStatus;
  readonly category: string;
  readonly createdAt: Date;
  readonly distanceMeters: number;
  readonly description: string;
  readonly lat: number;
  readonly lng: number;
}

/** Overdue open reports of one agency (null: not yet assigned, the IOC's queue). */
export interface OverdueGroup {
  readonly agency: string | null;
  readonly total: number;
  /** The most overdue first, at most a few dozen. */
  readonly codes: readonly string[];
}

export interface StaffNotice {
  readonly id: string;
  readonly createdAt: Date;
  readonly day: string;
  readonly kind: 'overdue';
  readonly agency: string | null;
  readonly total: number;
  readonly reportCodes: readonly string[];
}

export interface ListQuery {
  readonly filter: ReportFilter;
  readonly visibility: ReportVisibility;
  readonly cursor: ReportCursor | null;
  readonly limit: number;
  readonly now: Date;
  readonly timezone: string;
}

/** Storage of the desk (implemented by `storage/staff-reports-repo.ts`). */
export interface StaffReportsRepo {
  /** One page in the filter's order after `cursor`; `next` is where the next page starts (null: last page). */
  list(q: ListQuery): Promise<{ items: StaffReport[]; next: ReportCursor | null }>;
  /** Map markers of the filter, newest first, at most `limit`. */
  points(q: Omit<ListQuery, 'cursor'>): Promise<MapPoint[]>;
  findByCode(code: string): Promise<StaffReport | null>;
  /** Status histories of several reports (by report id). */
  histories(reportIds: readonly string[]): Promise<Map<string, ReportEvent[]>>;
  /** Internal notes and category edits of several reports (by report id). */
  notes(reportIds: readonly string[]): Promise<Map<string, StaffNote[]>>;
  /** Open reports of `category` within `meters` of the point, nearest first, except `exceptId`. */
  nearby(q: { lat: number; lng: number; category: string; meters: number; exceptId: string; limit: number; visibility: ReportVisibility }): Promise<NearbyReport[]>;
  /** Display names of staff users and API keys (`staff:12` → "Nguyễn Văn A"). */
  actorNames(actors: ReadonlyArray<Pick<Actor, 'kind' | 'id'>>): Promise<Map<string, string>>;
  /** Changes the category (and due time, proposal) and writes its note, in one transaction; false if the report changed status meanwhile. */
  changeCategory(reportId: string, change: { from: string; to: string; status: ReportStatus; dueAt: Date | null; proposedAgency: string | null | undefined; at: Date; actor: Pick<Actor, 'kind' | 'id'>; body: string | null }): Promise<boolean>;
  addNote(reportId: string, note: { at: Date; actor: Pick<Actor, 'kind' | 'id'>; status: ReportStatus; body: string }): Promise<StaffNote>;
  recordUpload(key: string, actor: Pick<Actor, 'kind' | 'id'>, at: Date): Promise<void>;
  /** Which of `keys` were uploaded by staff. */
  uploadedKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Open reports past due at `now`, grouped by agency, most overdue codes first (at most `codesPerGroup`). */
  overdueByAgency(now: Date, codesPerGroup: number): Promise<OverdueGroup[]>;
}

export interface StaffNoticesRepo {
  /** Stores the day's notice once (a retried job writes nothing new); true if stored now. */
  record(n: Omit<StaffNotice, 'id'>): Promise<boolean>;
  /** Newest first: the notices of these agencies, plus the IOC's (agency null) when `ioc`. */
  recent(audience: { agencies: readonly string[] | 'all'; ioc: boolean }, limit: number): Promise<StaffNotice[]>;
}
