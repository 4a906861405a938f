/**
 * A report's life: its statuses, which changes are allowed, who may make each, and what each needs.
 * Pure; the `change-status` use case applies the {@link Transition} this module decides.
 *
 * Statuses: `received → assigned → in_progress → resolved → closed`, with `rejected` and `duplicate`
 * as other endings. The rules, as a city runs its IOC (choices where the issue is silent marked ★):
 *
 * | from            | to            | who                                   | needs                                  |
 * |-----------------|---------------|---------------------------------------|----------------------------------------|
 * | received        | assigned      | admin, operator                       | an agency (known to the city profile)  |
 * | assigned        | assigned ★    | admin, operator (re-route)            | another agency                         |
 * | in_progress     | assigned ★    | admin, operator (re-route)            | an agency                              |
 * | assigned        | in_progress   | admin, operator, agency (its own)     | —                                      |
 * | in_progress     | resolved      | admin, operator, agency (its own)     | a public reply; 0–5 result photos      |
 * | received, assigned, in_progress | rejected  | admin, operator, agency (its own; not `received` ★) | a public reason |
 * | received, assigned, in_progress | duplicate | admin, operator            | the code of another report             |
 * | resolved        | in_progress   | the resident within REOPEN_DAYS; admin, operator at any time ★ | — (flags `reopened`) |
 * | resolved        | closed        | the resident (confirms / rates); the system after REOPEN_DAYS | optional rating 1–5 |
 *
 * `rejected`, `duplicate` and `closed` are final ★ (a mistaken ending is corrected by filing anew).
 * An illegal change throws a {@link LifecycleError}, never a silent no-op.
 */
import { DomainError } from '../shared/errors';
import { isStaffActor, type Actor, type StaffRole } from '../staff/actor';

export const REPORT_STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const isReportStatus = (v: unknown): v is ReportStatus => typeof v === 'string' && (REPORT_STATUSES as readonly string[]).includes(v);

/** Statuses in which the city still owes the resident an answer. */
export const OPEN_STATUSES: readonly ReportStatus[] = ['received', 'assigned', 'in_progress'];
/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly ReportStatus[] = ['rejected', 'duplicate', 'closed'];

export const MAX_RESULT_PHOTOS = 5;
export const MAX_PUBLIC_NOTE = 2000;
export const MAX_INTERNAL_NOTE = 4000;
export const DEFAULT_REOPEN_DAYS = 14;

/** Failure codes; the HTTP layer maps them to 403 / 409 / 422, dialogs to i18n keys. */
export type LifecycleErrorCode =
  | 'lifecycle.forbidden'
  | 'lifecycle.not-your-report'
  | 'lifecycle.illegal-transition'
  | 'lifecycle.reopen-window-passed'
  | 'lifecycle.not-due-to-close'
  | 'lifecycle.agency-required'
  | 'lifecycle.unknown-agency'
  | 'lifecycle.same-agency'
  | 'lifecycle.reply-required'
  | 'lifecycle.reason-required'
  | 'lifecycle.duplicate-of-required'
  | 'lifecycle.duplicate-of-unknown'
  | 'lifecycle.duplicate-of-itself'
  | 'lifecycle.too-many-photos'
  | 'lifecycle.note-too-long'
  | 'lifecycle.invalid-rating';

export type LifecycleErrorKind = 'forbidden' | 'conflict' | 'invalid';

const KIND: Record<LifecycleErrorCode, LifecycleErrorKind> = {
  'lifecycle.forbidden': 'forbidden',
  'lifecycle.not-your-report': 'forbidden',
  'lifecycle.illegal-transition': 'conflict',
  'lifecycle.reopen-window-passed': 'conflict',
  'lifecycle.not-due-to-close': 'conflict',
  'lifecycle.agency-required': 'invalid',
  'lifecycle.unknown-agency': 'invalid',
  'lifecycle.same-agency': 'invalid',
  'lifecycle.reply-required': 'invalid',
  'lifecycle.reason-required': 'invalid',
  'lifecycle.duplicate-of-required': 'invalid',
  'lifecycle.duplicate-of-unknown': 'invalid',
  'lifecycle.duplicate-of-itself': 'invalid',
  'lifecycle.too-many-photos': 'invalid',
  'lifecycle.note-too-long': 'invalid',
  'lifecycle.invalid-rating': 'invalid',
};

/** A refused change: `kind` says whether the actor, the report's state or the input is at fault. */
export class LifecycleError extends DomainError {
  readonly kind: LifecycleErrorKind;
  constructor(readonly code: LifecycleErrorCode, message: string) {
    super(code, message);
    this.name = 'LifecycleError';
    this.kind = KIND[code];
  }
}

/** What the lifecycle needs to know of a report. */
export interface LifecycleReport {
  readonly code: string;
  readonly status: ReportStatus;
  readonly agency: string | null;
  readonly ward: string | null;
  readonly residentId: string;
  readonly resolvedAt: Date | null;
  readonly reopenCount: number;
}

/** A requested change, as the console, the JSON API, Open311 and the dialogs express it. */
export interface TransitionRequest {
  readonly to: ReportStatus;
  /** Public note: the reply (resolved), the reason (rejected), a message to the resident. */
  readonly note?: string | null;
  /** Internal note: staff only, never shown to the resident. */
  readonly internalNote?: string | null;
  /** Agency id (assigned). */
  readonly agency?: string | null;
  /** Code of the report this one duplicates (duplicate). */
  readonly duplicateOf?: string | null;
  /** Result photos (resolved), ids returned by the photo upload. */
  readonly photoIds?: readonly string[];
  /** The resident's rating 1–5 (closed by the resident). */
  readonly rating?: number | null;
}

export interface LifecyclePolicy {
  readonly now: Date;
  readonly reopenDays: number;
  /** Agency ids of the city profile. */
  readonly agencies: ReadonlySet<string>;
}

/** The report fields a transition sets (undefined: unchanged). */
export interface ReportChanges {
  readonly status: ReportStatus;
  readonly agency?: string | null;
  readonly resolvedAt?: Date | null;
  readonly closedAt?: Date | null;
  readonly reopened?: boolean;
  readonly reopenCount?: number;
  readonly publicReply?: string | null;
  readonly duplicateOf?: string | null;
  readonly rating?: number | null;
  /** Replaces the result photos (resolved). */
  readonly resultPhotoIds?: readonly string[];
}

/** A decided change: the fields to write and the history event, written together by one writer. */
export interface Transition {
  readonly from: ReportStatus;
  readonly to: ReportStatus;
  readonly changes: ReportChanges;
  readonly event: {
    readonly actor: Actor;
    readonly at: Date;
    readonly from: ReportStatus;
    readonly to: ReportStatus;
    readonly publicNote: string | null;
    readonly internalNote: string | null;
  };
  /** The resident hears about it in their thread (public transitions made by someone else). */
  readonly notifyResident: boolean;
  readonly reopened: boolean;
}

/** Which roles may ever move a report to each status (the 403 check, before the report is read). */
const STAFF_TARGETS: Readonly<Record<ReportStatus, readonly StaffRole[]>> = {
  received: [],
  assigned: ['admin', 'operator'],
  in_progress: ['admin', 'operator', 'agency'],
  resolved: ['admin', 'operator', 'agency'],
  rejected: ['admin', 'operator', 'agency'],
  duplicate: ['admin', 'operator'],
  closed: [],
};

/** Allowed changes of state, whoever asks. */
const ALLOWED: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  received: ['assigned', 'rejected', 'duplicate'],
  assigned: ['assigned', 'in_progress', 'rejected', 'duplicate'],
  in_progress: ['resolved', 'rejected', 'duplicate', 'assigned'],
  resolved: ['in_progress', 'closed'],
  rejected: [],
  duplicate: [],
  closed: [],
};

/** Every allowed (from, to) pair: for tests, documentation and the console's action buttons. */
export function allowedTransitions(): Array<readonly [ReportStatus, ReportStatus]> {
  return REPORT_STATUSES.flatMap((from) => ALLOWED[from].map((to) => [from, to] as const));
}

/** May this actor ever move a report to `to`? (Role only; the report's scope and state come later.) */
export function mayAttempt(actor: Actor, to: ReportStatus): boolean {
  switch (actor.kind) {
    case 'resident':
      return to === 'in_progress' || to === 'closed';
    case 'system':
      return to === 'closed';
    case 'staff':
    case 'integration':
      return STAFF_TARGETS[to].includes(actor.role);
  }
}

/**
 * Whether a staff scope covers the report: admins, operators, communications and viewers see every
 * report; an agency user sees the reports routed to one of their agencies or located in one of
 * their wards.
 */
export function inScope(actor: Actor, report: Pick<LifecycleReport, 'agency' | 'ward' | 'residentId'>): boolean {
  if (actor.kind === 'resident') return actor.id === report.residentId;
  if (actor.kind === 'system') return true;
  if (actor.role !== 'agency') return true;
  return (report.agency !== null && actor.agencies.includes(report.agency)) || (report.ward !== null && actor.wards.includes(report.ward));
}

const clean = (s: string | null | undefined): string | null => {
  const t = (s ?? '').normalize('NFC').trim();
  return t === '' ? null : t;
};

/**
 * Decides a change. Checks run in the order the API answers them: the actor's role (forbidden), the
 * report's scope (forbidden), the report's state (conflict), then the input (invalid).
 * `duplicateTarget` is the report named by `duplicateOf`, looked up by the caller (null: not found).
 */
export function decideTransition(
  report: LifecycleReport,
  request: TransitionRequest,
  actor: Actor,
  policy: LifecyclePolicy,
  duplicateTarget: { code: string } | null = null,
): Transition {
  const { to } = request;
  const from = report.status;
  if (!mayAttempt(actor, to)) throw new LifecycleError('lifecycle.forbidden', `a ${actorLabel(actor)} may not move a report to ${to}`);
  if (!inScope(actor, report)) throw new LifecycleError('lifecycle.not-your-report', `report ${report.code} is not routed to this user's agencies or wards`);
  if (!ALLOWED[from].includes(to)) throw new LifecycleError('lifecycle.illegal-transition', `a report that is ${from} cannot become ${to}`);
  if (isStaffActor(actor) && actor.role === 'agency' && from === 'received') {
    throw new LifecycleError('lifecycle.forbidden', 'an agency acts on a report once the IOC has assigned it');
  }

  const note = clean(request.note);
  const internalNote = clean(request.internalNote);
  if (note !== null && [...note].length > MAX_PUBLIC_NOTE) throw new LifecycleError('lifecycle.note-too-long', `the public note is longer than ${MAX_PUBLIC_NOTE} characters`);
  if (internalNote !== null && [...internalNote].length > MAX_INTERNAL_NOTE) throw new LifecycleError('lifecycle.note-too-long', `the internal note is longer than ${MAX_INTERNAL_NOTE} characters`);
  const photos = request.photoIds ?? [];
  if (to !== 'resolved' && photos.length > 0) throw new LifecycleError('lifecycle.too-many-photos', 'result photos belong to a resolution');

  const now = policy.now;
  const base = { actor, at: now, from, to, publicNote: note, internalNote };
  const done = (changes: Omit<ReportChanges, 'status'>, notifyResident: boolean, reopened = false): Transition => ({
    from,
    to,
    changes: { status: to, ...changes },
    event: base,
    notifyResident,
    reopened,
  });

  switch (to) {
    case 'assigned': {
      const agency = clean(request.agency);
      if (agency === null) throw new LifecycleError('lifecycle.agency-required', 'assigning needs an agency');
      if (!policy.agencies.has(agency)) throw new LifecycleError('lifecycle.unknown-agency', `agency "${agency}" is not in the city profile`);
      if (from === 'assigned' && agency === report.agency) throw new LifecycleError('lifecycle.same-agency', `report ${report.code} is already assigned to ${agency}`);
      return done({ agency }, true);
    }
    case 'in_progress': {
      if (from !== 'resolved' && actor.kind === 'resident') throw new LifecycleError('lifecycle.forbidden', 'a resident only reopens a resolved report');
      if (from === 'resolved' && isStaffActor(actor) && actor.role === 'agency') throw new LifecycleError('lifecycle.forbidden', 'the IOC or the resident reopens a resolved report, not the agency');
      if (from === 'resolved') {
        if (actor.kind === 'resident' && !withinReopenWindow(report, policy)) {
          throw new LifecycleError('lifecycle.reopen-window-passed', `report ${report.code} was resolved more than ${policy.reopenDays} days ago`);
        }
        // A reopened report goes back to the agency that resolved it, flagged so they see it first.
        return done({ reopened: true, reopenCount: report.reopenCount + 1, resolvedAt: null, publicReply: null }, actor.kind !== 'resident', true);
      }
      return done({}, true);
    }
    case 'resolved': {
      if (note === null) throw new LifecycleError('lifecycle.reply-required', 'resolving needs a public reply to the resident');
      if (photos.length > MAX_RESULT_PHOTOS) throw new LifecycleError('lifecycle.too-many-photos', `at most ${MAX_RESULT_PHOTOS} result photos`);
      return done({ resolvedAt: now, publicReply: note, reopened: false, resultPhotoIds: [...photos] }, true);
    }
    case 'rejected': {
      if (note === null) throw new LifecycleError('lifecycle.reason-required', 'rejecting needs a public reason');
      return done({ publicReply: note, closedAt: now }, true);
    }
    case 'duplicate': {
      const of = clean(request.duplicateOf)?.toUpperCase() ?? null;
      if (of === null) throw new LifecycleError('lifecycle.duplicate-of-required', 'marking a duplicate needs the code of the other report');
      if (of === report.code) throw new LifecycleError('lifecycle.duplicate-of-itself', 'a report cannot duplicate itself');
      if (!duplicateTarget || duplicateTarget.code !== of) throw new LifecycleError('lifecycle.duplicate-of-unknown', `there is no report ${of}`);
      return done({ duplicateOf: of, publicReply: note, closedAt: now }, true);
    }
    case 'closed': {
      const rating = request.rating ?? null;
      if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) throw new LifecycleError('lifecycle.invalid-rating', 'a rating is a whole number from 1 to 5');
      if (actor.kind === 'system' && withinReopenWindow(report, policy)) {
        throw new LifecycleError('lifecycle.not-due-to-close', `report ${report.code} may still be reopened by the resident`);
      }
      return done({ closedAt: now, ...(rating !== null ? { rating } : {}) }, false);
    }
    case 'received':
      throw new LifecycleError('lifecycle.illegal-transition', 'no report goes back to received');
  }
}

/** Whether the resident may still say the problem is not fixed. */
export function withinReopenWindow(report: Pick<LifecycleReport, 'resolvedAt'>, policy: Pick<LifecyclePolicy, 'now' | 'reopenDays'>): boolean {
  if (!report.resolvedAt) return false;
  return policy.now.getTime() - report.resolvedAt.getTime() < policy.reopenDays * 86_400_000;
}

/** Due time of a new report: the category's SLA (hours) from the city profile. */
export function dueAt(createdAt: Date, slaHours: number): Date {
  return new Date(createdAt.getTime() + slaHours * 3_600_000);
}

function actorLabel(a: Actor): string {
  return a.kind === 'staff' || a.kind === 'integration' ? `${a.role} user` : a.kind;
}
